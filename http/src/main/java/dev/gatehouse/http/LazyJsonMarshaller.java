package dev.gatehouse.http;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import org.curioswitch.common.protobuf.json.MessageMarshaller;

/**
 * The REST surface's JSON for every management service, with one marshaller per message type built when that type
 * is first needed. Building one generates code (a class per message, nested messages included), about 10 ms each;
 * building all ~200 up front took ~40 % of start-up, so the port opens without them and {@link #prepare} builds the
 * rest on a background thread once the server is up (docs/DECISIONS.md D-ST2). The JSON itself is Armeria's
 * default: proto field names, default values included, unknown fields ignored, no whitespace.
 */
final class LazyJsonMarshaller implements GrpcJsonMarshaller {
    private final ConcurrentHashMap<Class<?>, MessageMarshaller> byType = new ConcurrentHashMap<>();

    @Override
    public <T> void serializeMessage(MethodDescriptor.Marshaller<T> marshaller, T message, OutputStream out)
            throws IOException {
        Message protobuf = (Message) message;
        forType(protobuf).writeValue(protobuf, out);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserializeMessage(MethodDescriptor.Marshaller<T> marshaller, InputStream in) throws IOException {
        Message prototype = prototype(marshaller);
        Message.Builder builder = prototype.newBuilderForType();
        try {
            forType(prototype).mergeValue(in, builder);
        } catch (RuntimeException e) {
            // A value of the wrong kind for its field ("abc" or true for an int64): the parser's runtime exception
            // (NumberFormatException) is the request's fault, answered as 400 INVALID_ARGUMENT like any malformed
            // body, never as a 500.
            throw new com.google.protobuf.InvalidProtocolBufferException("invalid value in the request body: " + e.getMessage());
        }
        return (T) builder.build();
    }

    /** Builds every request and response type of {@code services} not built yet. */
    void prepare(Collection<ServiceDescriptor> services) {
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                forType(prototype(method.getRequestMarshaller()));
                forType(prototype(method.getResponseMarshaller()));
            }
        }
    }

    /** How many message types have a marshaller. */
    int builtTypes() {
        return byType.size();
    }

    private MessageMarshaller forType(Message message) {
        MessageMarshaller built = byType.get(message.getClass());
        return built != null ? built : byType.computeIfAbsent(message.getClass(),
                type -> build(message.getDefaultInstanceForType()));
    }

    private static MessageMarshaller build(Message prototype) {
        return MessageMarshaller.builder()
                .omittingInsignificantWhitespace(true)
                .preservingProtoFieldNames(true)
                .includingDefaultValueFields(true)
                .ignoringUnknownFields(true)
                .register(prototype)
                .build();
    }

    private static Message prototype(MethodDescriptor.Marshaller<?> marshaller) {
        if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> withPrototype
                && withPrototype.getMessagePrototype() instanceof Message message) {
            return message;
        }
        throw new IllegalArgumentException("not a protobuf marshaller: " + marshaller);
    }
}
