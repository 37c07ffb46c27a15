#pragma once

#include <QWidget>

namespace provbench {

class ProfileBinder;

// The part of the editor only dynamic profiles have: the enrollment method
// with its bootstrap material (EST: URL, trust anchor, token policy, manual
// approval; MQTT fleet provisioning: broker, claim certificate and key,
// template, topics; LwM2M bootstrap: server URI, PSK identity and PSK), and
// the device key and certificate lifetime. The method combo shows the fields
// of the chosen method. Edits on a static profile are ignored.
class DynamicProfileForm : public QWidget
{
    Q_OBJECT
public:
    explicit DynamicProfileForm(ProfileBinder *binder, QWidget *parent = nullptr);
};

} // namespace provbench
