package dev.gatehouse.core.user;

import java.util.List;
import java.util.Map;

/** The profile fields of a user (scalekit.v1.commons.UserProfile); empty strings mean "not set". */
public record UserProfile(
        String givenName,
        String familyName,
        String name,
        String locale,
        String phoneNumber,
        String firstName,
        String lastName,
        String preferredUsername,
        String picture,
        String gender,
        List<String> groups,
        Map<String, String> metadata,
        Map<String, String> customAttributes) {

    public UserProfile {
        givenName = orEmpty(givenName);
        familyName = orEmpty(familyName);
        name = orEmpty(name);
        locale = orEmpty(locale);
        phoneNumber = orEmpty(phoneNumber);
        firstName = orEmpty(firstName);
        lastName = orEmpty(lastName);
        preferredUsername = orEmpty(preferredUsername);
        picture = orEmpty(picture);
        gender = orEmpty(gender);
        groups = groups == null ? List.of() : List.copyOf(groups);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        customAttributes = customAttributes == null ? Map.of() : Map.copyOf(customAttributes);
    }

    /** This profile with {@code attributes} as its custom attributes. */
    public UserProfile withCustomAttributes(Map<String, String> attributes) {
        return new UserProfile(givenName, familyName, name, locale, phoneNumber, firstName, lastName, preferredUsername,
                picture, gender, groups, metadata, attributes);
    }

    public static UserProfile empty() {
        return new UserProfile("", "", "", "", "", "", "", "", "", "", List.of(), Map.of(), Map.of());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
