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
}
