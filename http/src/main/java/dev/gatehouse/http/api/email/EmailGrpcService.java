package dev.gatehouse.http.api.email;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.gatehouse.core.mail.EmailTemplate;
import dev.gatehouse.core.mail.EmailTemplates;
import dev.gatehouse.core.mail.EnvironmentMailer;
import dev.gatehouse.core.mail.MailSettingsService;
import dev.gatehouse.core.mail.SmtpSettingsInput;
import dev.gatehouse.core.mail.StoredSmtpSettings;
import dev.gatehouse.core.passwordless.PasswordlessService;
import dev.gatehouse.core.passwordless.PasswordlessSettings;
import dev.gatehouse.core.passwordless.PasswordlessType;
import dev.gatehouse.http.api.Caller;
import dev.gatehouse.http.api.Rpc;
import dev.gatehouse.http.api.RpcErrors;
import dev.gatehouse.proto.email.DeleteSmtpSettingsRequest;
import dev.gatehouse.proto.email.EmailServiceGrpc;
import dev.gatehouse.proto.email.EmailTemplateResponse;
import dev.gatehouse.proto.email.GetEmailTemplateRequest;
import dev.gatehouse.proto.email.GetPasswordlessSettingsRequest;
import dev.gatehouse.proto.email.GetSmtpSettingsRequest;
import dev.gatehouse.proto.email.ListEmailTemplatesRequest;
import dev.gatehouse.proto.email.ListEmailTemplatesResponse;
import dev.gatehouse.proto.email.MailRoute;
import dev.gatehouse.proto.email.ResetEmailTemplateRequest;
import dev.gatehouse.proto.email.SendTestEmailRequest;
import dev.gatehouse.proto.email.SendTestEmailResponse;
import dev.gatehouse.proto.email.SmtpSettings;
import dev.gatehouse.proto.email.SmtpSettingsResponse;
import dev.gatehouse.proto.email.TlsMode;
import dev.gatehouse.proto.email.UpdateEmailTemplateRequest;
import dev.gatehouse.proto.email.UpdatePasswordlessSettingsRequest;
import dev.gatehouse.proto.email.UpdateSmtpSettingsRequest;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;

/**
 * {@code gatehouse.v1.email.EmailService}: an environment's SMTP server ({@code /api/v1/email/smtp}), its email
 * templates ({@code /api/v1/email/templates}) and its passwordless mode ({@code /api/v1/passwordless/settings}).
 */
public final class EmailGrpcService extends EmailServiceGrpc.EmailServiceImplBase {
    private final MailSettingsService smtp;
    private final EnvironmentMailer mailer;
    private final EmailTemplates templates;
    private final PasswordlessService passwordless;

    public EmailGrpcService(MailSettingsService smtp, EnvironmentMailer mailer, EmailTemplates templates,
                            PasswordlessService passwordless) {
        this.smtp = smtp;
        this.mailer = mailer;
        this.templates = templates;
        this.passwordless = passwordless;
    }

    @Override
    public void getSmtpSettings(GetSmtpSettingsRequest request, StreamObserver<SmtpSettingsResponse> observer) {
        Rpc.respond(observer, () -> smtpResponse(env(), smtp.get(env())));
    }

    @Override
    public void updateSmtpSettings(UpdateSmtpSettingsRequest request, StreamObserver<SmtpSettingsResponse> observer) {
        Rpc.respond(observer, () -> {
            dev.gatehouse.core.mail.TlsMode tls = switch (request.getTlsMode()) {
                case NONE -> dev.gatehouse.core.mail.TlsMode.NONE;
                case STARTTLS -> dev.gatehouse.core.mail.TlsMode.STARTTLS;
                case TLS -> dev.gatehouse.core.mail.TlsMode.TLS;
                case TLS_MODE_UNSPECIFIED -> request.getPort() == 465 ? dev.gatehouse.core.mail.TlsMode.TLS
                        : dev.gatehouse.core.mail.TlsMode.STARTTLS;
                case UNRECOGNIZED -> throw RpcErrors.invalidArgument("tls_mode", "tls_mode must be NONE, STARTTLS or TLS",
                        "enum.defined_only");
            };
            StoredSmtpSettings stored = smtp.update(env(), new SmtpSettingsInput(request.getHost(), request.getPort(), tls,
                    request.hasUsername() ? Optional.of(request.getUsername()) : Optional.empty(),
                    request.hasPassword() ? Optional.of(request.getPassword()) : Optional.empty(),
                    request.getFromAddress(),
                    request.hasFromName() ? Optional.of(request.getFromName()) : Optional.empty()));
            return smtpResponse(env(), Optional.of(stored));
        });
    }

    @Override
    public void deleteSmtpSettings(DeleteSmtpSettingsRequest request, StreamObserver<Empty> observer) {
        Rpc.respond(observer, () -> {
            smtp.delete(env());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void sendTestEmail(SendTestEmailRequest request, StreamObserver<SendTestEmailResponse> observer) {
        Rpc.respond(observer, () -> {
            MailRoute route = route(env());
            try {
                mailer.sendTest(env(), request.getTo());
            } catch (dev.gatehouse.core.mail.MailDeliveryException e) {
                throw RpcErrors.exception(RpcErrors.status(com.google.rpc.Code.UNAVAILABLE, e.getMessage()));
            }
            return SendTestEmailResponse.newBuilder().setRoute(route).build();
        });
    }

    @Override
    public void listEmailTemplates(ListEmailTemplatesRequest request, StreamObserver<ListEmailTemplatesResponse> observer) {
        Rpc.respond(observer, () -> {
            var response = ListEmailTemplatesResponse.newBuilder();
            templates.list(env()).forEach(t -> response.addTemplates(toProto(t)));
            return response.build();
        });
    }

    @Override
    public void getEmailTemplate(GetEmailTemplateRequest request, StreamObserver<EmailTemplateResponse> observer) {
        Rpc.respond(observer, () -> one(templates.get(env(), request.getId())));
    }

    @Override
    public void updateEmailTemplate(UpdateEmailTemplateRequest request, StreamObserver<EmailTemplateResponse> observer) {
        Rpc.respond(observer, () -> {
            if (!request.hasTemplate()) {
                throw RpcErrors.invalidArgument("template", "template is required", "required");
            }
            var t = request.getTemplate();
            return one(templates.update(env(), request.getId(), new EmailTemplate(t.getSubject(), t.getTextBody(),
                    t.getHtmlBody().isEmpty() ? Optional.empty() : Optional.of(t.getHtmlBody()))));
        });
    }

    @Override
    public void resetEmailTemplate(ResetEmailTemplateRequest request, StreamObserver<EmailTemplateResponse> observer) {
        Rpc.respond(observer, () -> one(templates.reset(env(), request.getId())));
    }

    @Override
    public void getPasswordlessSettings(GetPasswordlessSettingsRequest request,
                                        StreamObserver<dev.gatehouse.proto.email.PasswordlessSettings> observer) {
        Rpc.respond(observer, () -> toProto(passwordless.settings(env())));
    }

    @Override
    public void updatePasswordlessSettings(UpdatePasswordlessSettingsRequest request,
                                           StreamObserver<dev.gatehouse.proto.email.PasswordlessSettings> observer) {
        Rpc.respond(observer, () -> {
            Optional<PasswordlessType> type = Optional.empty();
            if (request.hasPasswordlessType()) {
                type = Optional.of(switch (request.getPasswordlessType()) {
                    case OTP -> PasswordlessType.OTP;
                    case LINK -> PasswordlessType.LINK;
                    case LINK_OTP -> PasswordlessType.LINK_OTP;
                    case PASSWORDLESS_TYPE_UNSPECIFIED, UNRECOGNIZED -> throw RpcErrors.invalidArgument(
                            "passwordless_type", "passwordless_type must be OTP, LINK or LINK_OTP", "enum.defined_only");
                });
            }
            return toProto(passwordless.updateSettings(env(), type, request.hasEnforceSameBrowserOrigin()
                    ? Optional.of(request.getEnforceSameBrowserOrigin()) : Optional.empty()));
        });
    }

    private SmtpSettingsResponse smtpResponse(String environmentId, Optional<StoredSmtpSettings> stored) {
        var response = SmtpSettingsResponse.newBuilder().setRoute(route(environmentId));
        stored.ifPresent(s -> response.setSmtp(SmtpSettings.newBuilder()
                .setHost(s.host())
                .setPort(s.port())
                .setTlsMode(TlsMode.valueOf(s.tlsMode().name()))
                .setUsername(s.username().orElse(""))
                .setPasswordSet(s.sealedPassword().isPresent())
                .setFromAddress(s.fromAddress())
                .setFromName(s.fromName().orElse(""))
                .setUpdateTime(Timestamp.newBuilder().setSeconds(s.updateTime().getEpochSecond())
                        .setNanos(s.updateTime().getNano()))));
        return response.build();
    }

    private MailRoute route(String environmentId) {
        return MailRoute.valueOf(mailer.route(environmentId).name());
    }

    private static EmailTemplateResponse one(EmailTemplates.Effective effective) {
        return EmailTemplateResponse.newBuilder().setTemplate(toProto(effective)).build();
    }

    private static dev.gatehouse.proto.email.EmailTemplate toProto(EmailTemplates.Effective e) {
        return dev.gatehouse.proto.email.EmailTemplate.newBuilder()
                .setId(e.id())
                .setSubject(e.template().subject())
                .setTextBody(e.template().textBody())
                .setHtmlBody(e.template().htmlBody().orElse(""))
                .setCustomized(e.customized())
                .addAllVariables(List.copyOf(EmailTemplates.variables(e.template())))
                .build();
    }

    private static dev.gatehouse.proto.email.PasswordlessSettings toProto(PasswordlessSettings settings) {
        return dev.gatehouse.proto.email.PasswordlessSettings.newBuilder()
                .setPasswordlessType(dev.gatehouse.proto.passwordless.PasswordlessType.valueOf(settings.type().name()))
                .setEnforceSameBrowserOrigin(settings.enforceSameBrowserOrigin())
                .build();
    }

    private static String env() {
        return Caller.current().environmentId();
    }
}
