package dev.gatehouse.http.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.gatehouse.proto.organizations.Organization;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void aTimestampThePrinterRefusesIsRecordedAsUnprintableInsteadOfFailingTheCall() {
        // Year 10000: the JSON parser accepts it in a request body, protobuf's JSON printer throws IllegalArgumentException.
        Organization request = Organization.newBuilder().setDisplayName("Acme")
                .setCreateTime(Timestamp.newBuilder().setSeconds(253_402_300_800L)).build();

        assertThat(Redaction.json(request)).hasValueSatisfying(json -> assertThat(json).startsWith("{\"unprintable\":"));
    }

    @Test
    void aPrintableMessageIsItsJson() {
        assertThat(Redaction.json(Organization.newBuilder().setDisplayName("Acme").build()))
                .contains("{\"display_name\":\"Acme\"}");
    }
}
