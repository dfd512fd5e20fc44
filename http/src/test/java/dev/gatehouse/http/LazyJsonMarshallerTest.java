package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import dev.gatehouse.proto.organizations.CreateOrganizationResponse;
import dev.gatehouse.proto.organizations.ListOrganizationsRequest;
import dev.gatehouse.proto.organizations.ListOrganizationsResponse;
import dev.gatehouse.proto.organizations.Organization;
import dev.gatehouse.proto.organizations.OrganizationServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LazyJsonMarshallerTest {
    private static final MethodDescriptor.Marshaller<ListOrganizationsResponse> LIST_RESPONSE =
            ProtoUtils.marshaller(ListOrganizationsResponse.getDefaultInstance());
    private static final MethodDescriptor.Marshaller<ListOrganizationsRequest> LIST_REQUEST =
            ProtoUtils.marshaller(ListOrganizationsRequest.getDefaultInstance());

    private final ListOrganizationsResponse response = ListOrganizationsResponse.newBuilder()
            .setTotalSize(1)
            .addOrganizations(Organization.newBuilder().setId("org_1").setDisplayName("Acme")
                    .setCreateTime(Timestamp.newBuilder().setSeconds(1_700_000_000L))
                    .putMetadata("plan", "gold").setExternalId("ext-1"))
            .build();

    @Test
    void writesTheSameJsonAsArmeriasMarshallerWithTheServersOptions() throws IOException {
        GrpcJsonMarshaller armeria = GrpcJsonMarshaller.builder()
                .jsonMarshallerCustomizer(json -> json.preservingProtoFieldNames(true)
                        .includingDefaultValueFields(true).ignoringUnknownFields(true))
                .build(OrganizationServiceGrpc.getServiceDescriptor());

        String lazy = write(new LazyJsonMarshaller());

        assertThat(lazy).isEqualTo(write(armeria));
        assertThat(lazy).contains("\"display_name\":\"Acme\"", "\"next_page_token\":\"\"",
                "\"create_time\":\"2023-11-14T22:13:20Z\"");
    }

    @Test
    void readsProtoAndCamelCaseNamesAndIgnoresUnknownFields() throws IOException {
        LazyJsonMarshaller marshaller = new LazyJsonMarshaller();

        ListOrganizationsRequest request = marshaller.deserializeMessage(LIST_REQUEST, json(
                "{\"page_size\":5,\"pageToken\":\"t\",\"no_such_field\":{\"a\":[1]}}"));

        assertThat(request.getPageSize()).isEqualTo(5);
        assertThat(request.getPageToken()).isEqualTo("t");
    }

    @Test
    void badJsonIsAnIoErrorNotAPartialMessage() {
        LazyJsonMarshaller marshaller = new LazyJsonMarshaller();

        assertThatThrownBy(() -> marshaller.deserializeMessage(LIST_REQUEST, json("{\"page_size\":\"many\"")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void valuesOfTheWrongKindAreIoErrorsNotRuntimeExceptions() {
        LazyJsonMarshaller marshaller = new LazyJsonMarshaller();
        MethodDescriptor.Marshaller<dev.gatehouse.proto.clients.OrganizationClient> client =
                ProtoUtils.marshaller(dev.gatehouse.proto.clients.OrganizationClient.getDefaultInstance());

        // The parser throws NumberFormatException for these; they must reach the
        // transcoder as an IOException (400 INVALID_ARGUMENT), not escape as a 500.
        assertThatThrownBy(() -> marshaller.deserializeMessage(client, json("{\"expiry\":\"abc\"}")))
                .isInstanceOf(IOException.class).hasMessageContaining("invalid value");
        assertThatThrownBy(() -> marshaller.deserializeMessage(client, json("{\"expiry\":true}")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void buildsEachTypeOnFirstUseAndPrepareBuildsTheRestOnce() throws IOException {
        LazyJsonMarshaller marshaller = new LazyJsonMarshaller();
        assertThat(marshaller.builtTypes()).isZero();

        write(marshaller);
        assertThat(marshaller.builtTypes()).isEqualTo(1);

        marshaller.prepare(List.of(OrganizationServiceGrpc.getServiceDescriptor()));
        int prepared = marshaller.builtTypes();
        marshaller.prepare(List.of(OrganizationServiceGrpc.getServiceDescriptor()));

        assertThat(prepared).isGreaterThan(10).isEqualTo(marshaller.builtTypes());
        assertThat(marshaller.deserializeMessage(ProtoUtils.marshaller(CreateOrganizationResponse.getDefaultInstance()),
                json("{\"organization\":{\"id\":\"org_2\"}}")).getOrganization().getId()).isEqualTo("org_2");
    }

    private String write(GrpcJsonMarshaller marshaller) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marshaller.serializeMessage(LIST_RESPONSE, response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ByteArrayInputStream json(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
