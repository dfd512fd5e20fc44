package dev.gatehouse.http.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PagesTest {
    private final Pages pages = new Pages();

    @Test
    void everyExpressionIsHtmlEscaped() {
        String html = pages.render("error.jte", Map.of("chrome", PageChrome.plain("Oops"),
                "heading", "<script>alert(1)</script>", "message", "a & \"b\""));

        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert")
                .contains("a &amp; \"b\"");
    }

    @Test
    void brandingColoursThatAreNotHexFallBackToTheDefaults() {
        PageChrome chrome = PageChrome.of("Sign in", "Acme", Optional.of("javascript:alert(1)"),
                "red;}</style><script>", "#fff");

        assertThat(chrome.primaryColor()).isEqualTo(PageChrome.DEFAULT_PRIMARY);
        assertThat(chrome.backgroundColor()).isEqualTo("#fff");
        assertThat(chrome.logoUrl()).isEmpty();
        assertThat(pages.render("error.jte", Map.of("chrome", chrome, "heading", "h", "message", "m")))
                .contains("Acme").doesNotContain("<img");
    }

    @Test
    void theAutoPostScriptMatchesTheHashThePageAllows() throws Exception {
        String html = pages.render("autopost.jte", Map.of("chrome", PageChrome.plain("SSO"),
                "action", "https://idp.example.test/sso", "fields", Map.of("SAMLRequest", "abc\"<", "RelayState", "lgn_1")));
        var script = java.util.regex.Pattern.compile("<script>(.*?)</script>").matcher(html);
        assertThat(script.find()).isTrue();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(script.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(Pages.AUTOPOST_SCRIPT_HASH).isEqualTo("'sha256-" + java.util.Base64.getEncoder().encodeToString(digest) + "'");
        assertThat(html).contains("value=\"abc&#34;&lt;\"").contains("action=\"https://idp.example.test/sso\"");
    }
}
