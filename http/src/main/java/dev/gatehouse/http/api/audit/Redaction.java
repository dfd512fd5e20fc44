package dev.gatehouse.http.api.audit;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.gatehouse.core.audit.SecretFieldNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Management messages as audit JSON with their secrets replaced by {@code "[REDACTED]"}: every
 * string or bytes field whose name says it holds a secret (contains {@code secret}, {@code password},
 * {@code private_key} or {@code api_key}, or is or ends in {@code token} other than page tokens), at
 * any depth, and the fields of {@link #SECRET_FIELDS} whose names do not say so (an admin portal link's URL
 * carries its key). Message-typed fields are walked, not dropped, so a {@code secret} object keeps its ID.
 */
final class Redaction {
    static final String REDACTED = SecretFieldNames.REDACTED;
    /** Secret-bearing fields named by their full proto name: a portal link's {@code location} holds its key. */
    static final java.util.Set<String> SECRET_FIELDS = java.util.Set.of("scalekit.v1.organizations.Link.location");
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames().omittingInsignificantWhitespace();

    private Redaction() {}

    static boolean isSecretName(String fieldName) {
        return SecretFieldNames.isSecret(fieldName);
    }

    /** The message with every secret field replaced (strings) or cleared (bytes). */
    static Message redact(Message message) {
        Message.Builder builder = message.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            Object value = entry.getValue();
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (field.isRepeated()) {
                    builder.clearField(field);
                    for (Object item : (List<?>) value) {
                        builder.addRepeatedField(field, redact((Message) item));
                    }
                } else {
                    builder.setField(field, redact((Message) value));
                }
            } else if (isSecretName(field.getName()) || SECRET_FIELDS.contains(field.getFullName())) {
                if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
                    if (field.isRepeated()) {
                        builder.clearField(field);
                        for (int i = 0; i < ((List<?>) value).size(); i++) {
                            builder.addRepeatedField(field, REDACTED);
                        }
                    } else {
                        builder.setField(field, REDACTED);
                    }
                } else if (field.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING) {
                    builder.clearField(field);
                }
            }
        }
        return builder.build();
    }

    /** The redacted message as compact JSON with proto field names; empty for a message without fields. */
    static Optional<String> json(Message message) {
        Message redacted = redact(message);
        if (redacted.getAllFields().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PRINTER.print(redacted));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            // IllegalArgumentException: a well-known type the printer refuses, e.g. a Timestamp past year 9999 sent in an
            // output-only field; the change is still audited, and the call is not failed by its audit record.
            return Optional.of("{\"unprintable\":" + dev.gatehouse.core.event.Json.quote(e.getMessage()) + "}");
        }
    }
}
