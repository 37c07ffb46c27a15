#pragma once

#include <QWidget>

namespace provbench {

class ProfileBinder;

// The part of the editor only static profiles have: the credentials written
// on the bench. The type combo shows the fields of the chosen type: PSK
// identity and key, username and password, certificate and key files, or the
// key algorithm, validity and subject of a per-device bench certificate.
// Edits on a dynamic profile are ignored (the form is hidden then).
class StaticProfileForm : public QWidget
{
    Q_OBJECT
public:
    explicit StaticProfileForm(ProfileBinder *binder, QWidget *parent = nullptr);
};

} // namespace provbench
