package dev.gatehouse.http.api.audit;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.gatehouse.core.audit.AuditQuery;
import dev.gatehouse.core.audit.AuditRecord;
import dev.gatehouse.core.audit.AuditTrail;
import dev.gatehouse.http.api.Caller;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits every management-API change (docs/DECISIONS.md D-A3): each call of a method that is not a
 * read ({@code Get…}, {@code List…}, {@code Search…}, {@code Verify…}) appends a record of type
 * {@code management.<method in snake_case>} with the calling client as actor, the resource ID as
 * target, the organization, the outcome (the gRPC status code as reason code on failure), the
 * request, and the resource before (from the service's Get RPC, {@link BeforeLookup}) and after (the
 * answer), all with secrets redacted ({@link Redaction}).
 *
 * <p>It runs inside {@code ManagementAuthInterceptor} (unauthenticated calls are audited there), on
 * the blocking executor, and appends before the answer is sent, so a client never sees a change that
 * is not in the audit log. The change and its record are two transactions: if the append fails, the
 * change stands and the failure is logged.
 */
public final class ManagementChangeAudit implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementChangeAudit.class);
    static final int REQUEST_ATTRIBUTE_MAX = 2000;
    private static final List<String> READ_VERBS = List.of("Get", "List", "Search", "Verify");

    private final AuditTrail audit;
    private final Clock clock;
    private final BeforeLookup beforeLookup = new BeforeLookup();

    public ManagementChangeAudit(AuditTrail audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** The services with this audit around every method; their Get RPCs become available for "before" lookups. */
    public List<BindableService> wrap(List<BindableService> services) {
        return services.stream().map(service -> {
            ServerServiceDefinition definition = service.bindService();
            beforeLookup.register(definition);
            ServerServiceDefinition audited = ServerInterceptors.intercept(definition, this);
            return (BindableService) () -> audited;
        }).toList();
    }

    static boolean isChange(String bareMethodName) {
        return READ_VERBS.stream().noneMatch(bareMethodName::startsWith);
    }

    /** {@code CreateOrganization} → {@code management.create_organization}. */
    static String type(String bareMethodName) {
        return AuditQuery.MANAGEMENT_TYPE_PREFIX + String.join("_", BeforeLookup.words(bareMethodName))
                .toLowerCase(Locale.ROOT);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        MethodDescriptor<Q, R> method = call.getMethodDescriptor();
        if (!isChange(method.getBareMethodName())) {
            return next.startCall(call, headers);
        }
        AuditedCall<Q, R> audited = new AuditedCall<>(call, Caller.current(), remoteAddress());
        ServerCall.Listener<Q> listener = next.startCall(audited, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof Message request) {
                    audited.request = request;
                    audited.before = beforeLookup.before(method.getFullMethodName(), request);
                }
                super.onMessage(message);
            }
        };
    }

    /**
     * The resource a change request names, as its Get RPC answers now (see {@link BeforeLookup}): for the
     * REST routes that are not transcoded gRPC, which call it before making the change.
     */
    public Optional<Message> before(Caller caller, String fullMethodName, Message request) {
        return caller.callAs(() -> beforeLookup.before(fullMethodName, request));
    }

    /** Records the change of one completed call. Public for the REST routes that are not transcoded gRPC. */
    public void record(Caller caller, String fullMethodName, Optional<Message> request, Optional<Message> before,
                       Optional<Message> answer, Status status, Optional<String> remoteAddress) {
        String bare = fullMethodName.substring(fullMethodName.lastIndexOf('/') + 1);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("method", fullMethodName);
        request.flatMap(Redaction::json).ifPresent(json -> attributes.put("request",
                json.length() <= REQUEST_ATTRIBUTE_MAX ? json : json.substring(0, REQUEST_ATTRIBUTE_MAX) + "…"));
        Optional<String> target = target(request, before, answer);
        AuditRecord record = new AuditRecord(clock.instant(), Optional.of(caller.environmentId()),
                organization(request, answer, target), type(bare),
                status.isOk() ? AuditRecord.Outcome.SUCCESS : AuditRecord.Outcome.FAILURE,
                Optional.of(caller.clientId()), Optional.ofNullable(status.isOk() ? null : status.getDescription()),
                remoteAddress, attributes)
                .withChange(before.flatMap(Redaction::json), status.isOk() ? answer.flatMap(Redaction::json) : Optional.empty());
        if (!status.isOk()) {
            record = record.withReasonCode(status.getCode().name());
        }
        if (target.isPresent()) {
            record = record.withTarget(target.get());
        }
        try {
            audit.append(record);
        } catch (RuntimeException e) {
            LOG.error("could not audit {} by {} (the change itself is done)", fullMethodName, caller.clientId(), e);
        }
    }

    /**
     * The resource acted on: the request's id, else the id of the resource in the answer or in the state
     * before, else the request's first other {@code *_id} (the external ID last).
     */
    static Optional<String> target(Optional<Message> request, Optional<Message> before, Optional<Message> answer) {
        Optional<String> id = request.flatMap(r -> string(r, "id"))
                .or(() -> answer.flatMap(ManagementChangeAudit::resourceId))
                .or(() -> before.flatMap(ManagementChangeAudit::resourceId));
        if (id.isPresent()) {
            return id;
        }
        return request.flatMap(r -> r.getAllFields().entrySet().stream()
                .filter(e -> e.getKey().getName().endsWith("_id") && !e.getKey().getName().equals("organization_id")
                        && !e.getKey().getName().equals("external_id") && e.getValue() instanceof String s && !s.isEmpty())
                .map(e -> (String) e.getValue()).findFirst())
                .or(() -> request.flatMap(r -> string(r, "external_id")));
    }

    /** The id of the one resource a response carries ({@code {"organization": {"id": …}}}). */
    private static Optional<String> resourceId(Message response) {
        return response.getAllFields().entrySet().stream()
                .filter(e -> e.getKey().getJavaType() == FieldDescriptor.JavaType.MESSAGE && !e.getKey().isRepeated())
                .map(e -> string((Message) e.getValue(), "id"))
                .flatMap(Optional::stream).findFirst();
    }

    static Optional<String> organization(Optional<Message> request, Optional<Message> answer, Optional<String> target) {
        return request.flatMap(r -> string(r, "organization_id"))
                .or(() -> target.filter(t -> t.startsWith("org_")))
                .or(() -> answer.flatMap(a -> a.getAllFields().values().stream()
                        .filter(v -> v instanceof Message).map(v -> string((Message) v, "organization_id"))
                        .flatMap(Optional::stream).findFirst()));
    }

    private static Optional<String> string(Message message, String fieldName) {
        FieldDescriptor field = message.getDescriptorForType().findFieldByName(fieldName);
        if (field == null || field.isRepeated() || field.getJavaType() != FieldDescriptor.JavaType.STRING) {
            return Optional.empty();
        }
        String value = (String) message.getField(field);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<String> remoteAddress() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null && ctx.remoteAddress() instanceof InetSocketAddress address) {
            return Optional.of(address.getAddress().getHostAddress());
        }
        return Optional.empty();
    }

    /** Keeps the request, the state before and the answer of one call, and records them when it closes. */
    private final class AuditedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Caller caller;
        private final Optional<String> remote;
        private Message request;
        private Optional<Message> before = Optional.empty();
        private R held;
        private boolean recorded;

        AuditedCall(ServerCall<Q, R> delegate, Caller caller, Optional<String> remote) {
            super(delegate);
            this.caller = caller;
            this.remote = remote;
        }

        /** Held back until the call closes (unary calls send one message), so the record is written first. */
        @Override
        public void sendMessage(R message) {
            held = message;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (!recorded) {
                recorded = true;
                record(caller, getMethodDescriptor().getFullMethodName(), Optional.ofNullable(request), before,
                        Optional.ofNullable(held).filter(Message.class::isInstance).map(Message.class::cast),
                        status, remote);
            }
            if (held != null) {
                R message = held;
                held = null;
                super.sendMessage(message);
            }
            super.close(status, trailers);
        }
    }
}
