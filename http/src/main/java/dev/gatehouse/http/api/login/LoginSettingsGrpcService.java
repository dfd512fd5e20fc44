package dev.gatehouse.http.api.login;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import dev.gatehouse.core.login.LoginSettingsEditor;
import dev.gatehouse.core.login.LoginSettingsPatch;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.proto.login.Branding;
import dev.gatehouse.proto.login.GetLoginSettingsRequest;
import dev.gatehouse.proto.login.LoginSettings;
import dev.gatehouse.proto.login.LoginSettingsServiceGrpc;
import dev.gatehouse.proto.login.UpdateLoginSettingsRequest;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;

/** {@code gatehouse.v1.login.LoginSettingsService}: the hosted login's settings, per environment. */
public final class LoginSettingsGrpcService extends LoginSettingsServiceGrpc.LoginSettingsServiceImplBase {
    private final LoginSettingsEditor settings;

    public LoginSettingsGrpcService(LoginSettingsEditor settings) {
        this.settings = settings;
    }

    @Override
    public void getLoginSettings(GetLoginSettingsRequest request, StreamObserver<LoginSettings> observer) {
        Rpc.respond(observer, () -> toProto(settings.get(Caller.current().environmentId())));
    }

    @Override
    public void updateLoginSettings(UpdateLoginSettingsRequest request, StreamObserver<LoginSettings> observer) {
        Rpc.respond(observer, () -> {
            LoginSettings in = request.getSettings();
            Branding branding = in.getBranding();
            LoginSettingsPatch patch = new LoginSettingsPatch(
                    in.hasSignupAllowed() ? Optional.of(in.getSignupAllowed().getValue()) : Optional.empty(),
                    in.hasOrganizationCreationAllowed() ? Optional.of(in.getOrganizationCreationAllowed().getValue())
                            : Optional.empty(),
                    branding.hasName() ? Optional.of(branding.getName().getValue()) : Optional.empty(),
                    branding.hasLogoUrl() ? Optional.of(branding.getLogoUrl().getValue()) : Optional.empty(),
                    branding.hasPrimaryColor() ? Optional.of(branding.getPrimaryColor().getValue()) : Optional.empty(),
                    branding.hasBackgroundColor() ? Optional.of(branding.getBackgroundColor().getValue()) : Optional.empty(),
                    seconds(in.hasAccessTokenExpiry(), in.getAccessTokenExpiry()),
                    seconds(in.hasRefreshTokenExpiry(), in.getRefreshTokenExpiry()),
                    seconds(in.hasIdTokenExpiry(), in.getIdTokenExpiry()),
                    seconds(in.hasSessionIdleTimeout(), in.getSessionIdleTimeout()),
                    seconds(in.hasSessionAbsoluteTimeout(), in.getSessionAbsoluteTimeout()));
            return toProto(settings.update(Caller.current().environmentId(), patch));
        });
    }

    private static Optional<Duration> seconds(boolean present, Int64Value value) {
        return present ? Optional.of(Duration.ofSeconds(value.getValue())) : Optional.empty();
    }

    private static LoginSettings toProto(dev.gatehouse.core.login.LoginSettings s) {
        Branding.Builder branding = Branding.newBuilder()
                .setName(StringValue.of(s.branding().name()))
                .setPrimaryColor(StringValue.of(s.branding().primaryColor()))
                .setBackgroundColor(StringValue.of(s.branding().backgroundColor()));
        s.branding().logoUrl().ifPresent(url -> branding.setLogoUrl(StringValue.of(url)));
        return LoginSettings.newBuilder()
                .setSignupAllowed(BoolValue.of(s.signupAllowed()))
                .setOrganizationCreationAllowed(BoolValue.of(s.organizationCreationAllowed()))
                .setBranding(branding)
                .setAccessTokenExpiry(Int64Value.of(s.accessTokenLifetime().toSeconds()))
                .setRefreshTokenExpiry(Int64Value.of(s.refreshTokenLifetime().toSeconds()))
                .setIdTokenExpiry(Int64Value.of(s.idTokenLifetime().toSeconds()))
                .setSessionIdleTimeout(Int64Value.of(s.sessionIdleTimeout().toSeconds()))
                .setSessionAbsoluteTimeout(Int64Value.of(s.sessionAbsoluteTimeout().toSeconds()))
                .build();
    }
}
