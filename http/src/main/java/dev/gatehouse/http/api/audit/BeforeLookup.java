package dev.gatehouse.http.api.audit;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of a resource before a management change, where it is cheap to know: the answer of the
 * service's own {@code Get…} RPC for the resource the change names. For {@code <Verb><Noun…>} the
 * lookup is {@code Get<Noun…>}, then {@code Get} with ever shorter nouns ({@code UpdateOrganizationSettings}
 * → {@code GetOrganization}), built by copying same-named fields, and used only when every string field
 * of the Get request (one member per oneof) could be filled. The Get RPC runs in-process on the calling
 * thread, without interceptors, in the caller's gRPC context (so it sees the same environment).
 */
final class BeforeLookup {
    private final Map<String, ServerMethodDefinition<?, ?>> methods = new ConcurrentHashMap<>();

    void register(ServerServiceDefinition service) {
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            methods.put(method.getMethodDescriptor().getFullMethodName(), method);
        }
    }

    /** The resource as its Get RPC answers it now, or empty when there is no such RPC or it fails. */
    Optional<Message> before(String fullMethodName, Message request) {
        int slash = fullMethodName.lastIndexOf('/');
        String service = fullMethodName.substring(0, slash);
        List<String> words = words(fullMethodName.substring(slash + 1));
        for (int nounWords = words.size() - 1; nounWords >= 1; nounWords--) {
            String get = "Get" + String.join("", words.subList(1, 1 + nounWords));
            ServerMethodDefinition<?, ?> method = methods.get(service + "/" + get);
            if (method != null) {
                return call(method, request);
            }
        }
        return Optional.empty();
    }

    private static <Q, R> Optional<Message> call(ServerMethodDefinition<Q, R> method, Message source) {
        if (!(method.getMethodDescriptor().getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> m)
                || !(m.getMessagePrototype() instanceof Message prototype)) {
            return Optional.empty();
        }
        Optional<Message> request = copy(source, prototype);
        if (request.isEmpty()) {
            return Optional.empty();
        }
        Capture<Q, R> call = new Capture<>(method.getMethodDescriptor());
        try {
            @SuppressWarnings("unchecked")
            Q typed = (Q) request.get();
            ServerCall.Listener<Q> listener = method.getServerCallHandler().startCall(call, new Metadata());
            listener.onMessage(typed);
            listener.onHalfClose();
            listener.onComplete();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return call.status != null && call.status.isOk() && call.response instanceof Message answer
                ? Optional.of(answer) : Optional.empty();
    }

    /** The Get request filled from the change request's same-named fields, if every string field could be. */
    static Optional<Message> copy(Message source, Message prototype) {
        Message.Builder target = prototype.newBuilderForType();
        var sourceFields = source.getDescriptorForType();
        for (FieldDescriptor field : target.getDescriptorForType().getFields()) {
            FieldDescriptor from = sourceFields.findFieldByName(field.getName());
            boolean filled = false;
            if (from != null && !field.isRepeated() && !from.isRepeated() && from.getJavaType() == field.getJavaType()
                    && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE
                    && field.getJavaType() != FieldDescriptor.JavaType.ENUM) {
                Object value = source.getField(from);
                boolean set = from.hasPresence() ? source.hasField(from) : !value.equals(from.getDefaultValue());
                if (set) {
                    target.setField(field, value);
                    filled = true;
                }
            }
            OneofDescriptor oneof = field.getRealContainingOneof();
            if (!filled && field.getJavaType() == FieldDescriptor.JavaType.STRING && oneof == null) {
                return Optional.empty();
            }
        }
        for (OneofDescriptor oneof : target.getDescriptorForType().getRealOneofs()) {
            if (!target.hasOneof(oneof)) {
                return Optional.empty();
            }
        }
        return Optional.of(target.build());
    }

    /** "UpdateOrganizationSettings" → [Update, Organization, Settings]. */
    static List<String> words(String camel) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < camel.length(); i++) {
            if (Character.isUpperCase(camel.charAt(i))) {
                words.add(camel.substring(start, i));
                start = i;
            }
        }
        words.add(camel.substring(start));
        return words;
    }

    /** A server call that keeps the answer instead of sending it anywhere. */
    private static final class Capture<Q, R> extends ServerCall<Q, R> {
        private final MethodDescriptor<Q, R> method;
        R response;
        Status status;

        Capture(MethodDescriptor<Q, R> method) {
            this.method = method;
        }

        @Override
        public void request(int numMessages) {}

        @Override
        public void sendHeaders(Metadata headers) {}

        @Override
        public void sendMessage(R message) {
            response = message;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            this.status = status;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
