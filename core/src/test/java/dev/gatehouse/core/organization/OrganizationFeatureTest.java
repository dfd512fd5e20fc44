package dev.gatehouse.core.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OrganizationFeatureTest {
    @ParameterizedTest
    @CsvSource({
            "sso, SSO",
            "SSO, SSO",
            "Sso, SSO",
            "dir_sync, DIRECTORY_SYNC",
            "DIR_SYNC, DIRECTORY_SYNC",
            "directory_sync, DIRECTORY_SYNC",
            "DIRECTORY_SYNC, DIRECTORY_SYNC",
            "Directory_Sync, DIRECTORY_SYNC",
    })
    void fromWireWhenKnownNameOrAliasInAnyCaseThenFeature(String name, OrganizationFeature expected) {
        assertThat(OrganizationFeature.fromWire(name)).contains(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"dirsync", "directory-sync", "dir-sync", "directorysync", " sso", "sso ", "scim",
            "FEATURE_SSO", "DIRECTORY_SYNC_ENABLED", "ss0"})
    void fromWireWhenUnknownNameThenEmpty(String name) {
        assertThat(OrganizationFeature.fromWire(name)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(OrganizationFeature.class)
    void fromWireWhenGivenWireNameThenSameFeature(OrganizationFeature feature) {
        assertThat(OrganizationFeature.fromWire(feature.wireName())).contains(feature);
    }

    @Test
    void wireNameWhenReadThenProtoEnumNames() {
        assertThat(OrganizationFeature.SSO.wireName()).isEqualTo("sso");
        assertThat(OrganizationFeature.DIRECTORY_SYNC.wireName()).isEqualTo("dir_sync");
    }

    @Test
    void fromWireWhenDefaultLocaleIsTurkishThenUppercaseNamesStillRecognised() {
        Locale previous = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            // In Turkish, "I".toLowerCase() is a dotless ı: the lookup must not depend on the default locale.
            assertThat(OrganizationFeature.fromWire("DIR_SYNC")).contains(OrganizationFeature.DIRECTORY_SYNC);
            assertThat(OrganizationFeature.fromWire("DIRECTORY_SYNC")).contains(OrganizationFeature.DIRECTORY_SYNC);
        } finally {
            Locale.setDefault(previous);
        }
    }
}
