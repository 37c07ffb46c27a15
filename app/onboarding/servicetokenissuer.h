#pragma once

#include "app/onboarding/enrollment/tokenservice.h"
#include "app/onboarding/enrollmentmaterial.h"

// TokenIssuer over the enrollment service's TokenService: tokens recorded in
// the workspace store ("token.issued", never the token itself).
namespace provbench::onboarding {

class ServiceTokenIssuer : public TokenIssuer
{
public:
    explicit ServiceTokenIssuer(enrollment::TokenService &service) : m_service(service) { }
    Result<QString> issue(
        const QString &deviceId, std::chrono::minutes ttl, bool singleUse) override
    {
        auto issued = m_service.issue(deviceId, ttl, singleUse);
        if (!issued)
            return std::unexpected(issued.error());
        return issued->token;
    }

private:
    enrollment::TokenService &m_service;
};

} // namespace provbench::onboarding
