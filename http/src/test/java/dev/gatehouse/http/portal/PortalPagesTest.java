package dev.gatehouse.http.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.http.pages.PageChrome;
import dev.gatehouse.http.pages.Pages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PortalPagesTest {
    private final Pages pages = new Pages();

    private static PortalFrame frame(String events) {
        return new PortalFrame(PageChrome.plain("Admin portal"), "/portal/lnk_1", "Acme <Corp>", "org_1", true, true,
                "csrf-1", "2025-03-01T14:00:00Z", "[\"https://app.example.test\"]", events, Optional.empty(),
                Optional.empty());
    }

    private String home(String events) {
        return pages.render("portal/home.jte", Map.of("page", new PortalHomePage(frame(events), List.of(), List.of(),
                List.of(), List.of(new PortalHomePage.Choice("OKTA", "Okta")), List.of())));
    }

    @Test
    void theScriptOnThePageIsTheOneItsHashAllows() throws Exception {
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(home("[]"));
        assertThat(script.find()).isTrue();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.group(1).getBytes(StandardCharsets.UTF_8));
        assertThat(PortalScript.SOURCE).isEqualTo("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
    }

    @Test
    void eventDataAndNamesAreEscaped() {
        String html = home("[{\"message\":\"</script><script>alert(1)</script>\"}]");
        assertThat(html).doesNotContain("<script>alert(1)").contains("Acme &lt;Corp&gt;")
                .contains("data-events=\"[{&#34;message&#34;:&#34;&lt;/script>&lt;script>alert(1)");
    }

    @Test
    void originsOfRedirectUrisAreSchemeHostAndPort() {
        assertThat(PortalRoutes.origin("https://App.Example.test:8443/callback?x=1")).contains("https://app.example.test:8443");
        assertThat(PortalRoutes.origin("http://localhost:3000")).contains("http://localhost:3000");
        assertThat(PortalRoutes.origin("https://app.example.test:443/cb")).as("default port dropped, as browsers serialize")
                .contains("https://app.example.test");
        assertThat(PortalRoutes.origin("myapp://callback")).isEmpty();
        assertThat(PortalRoutes.origin("https://user@evil.test/")).isEmpty();
        assertThat(PortalRoutes.origin("not a uri")).isEmpty();
    }

    @Test
    void frameAncestorsAreSelfAndTheWellFormedOriginsOnly() {
        PortalRoutes routes = new PortalRoutes(null, null, null, null, environment -> List.of(
                "https://app.example.test/a", "https://app.example.test/b", "https://*.example.test/cb",
                "https://bad.test;script-src/", "http://localhost:3000/callback"), null, null);
        assertThat(routes.frameAncestors("env_1"))
                .isEqualTo("'self' https://app.example.test https://*.example.test http://localhost:3000");
    }
}
