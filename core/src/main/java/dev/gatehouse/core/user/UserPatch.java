package dev.gatehouse.core.user;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A partial user update. Every present field replaces the stored value; absent ones are kept.
 * An empty external_id clears it. Email, ID, environment and creation time cannot change.
 */
public record UserPatch(
        Optional<String> externalId,
        Optional<Map<String, String>> metadata,
        Optional<ProfilePatch> profile) {

    /** Profile fields to change; maps and groups replace the stored ones when present. */
    public record ProfilePatch(
            Optional<String> givenName,
            Optional<String> familyName,
            Optional<String> name,
            Optional<String> locale,
            Optional<String> phoneNumber,
            Optional<String> firstName,
            Optional<String> lastName,
            Optional<String> preferredUsername,
            Optional<String> picture,
            Optional<String> gender,
            Optional<List<String>> groups,
            Optional<Map<String, String>> metadata,
            Optional<Map<String, String>> customAttributes) {

        UserProfile applyTo(UserProfile p) {
            return new UserProfile(givenName.orElse(p.givenName()), familyName.orElse(p.familyName()),
                    name.orElse(p.name()), locale.orElse(p.locale()), phoneNumber.orElse(p.phoneNumber()),
                    firstName.orElse(p.firstName()), lastName.orElse(p.lastName()),
                    preferredUsername.orElse(p.preferredUsername()), picture.orElse(p.picture()),
                    gender.orElse(p.gender()), groups.orElse(p.groups()), metadata.orElse(p.metadata()),
                    customAttributes.orElse(p.customAttributes()));
        }

        UserProfile asProfile() {
            return applyTo(UserProfile.empty());
        }
    }
}
