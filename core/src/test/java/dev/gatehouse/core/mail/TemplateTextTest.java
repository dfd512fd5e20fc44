package dev.gatehouse.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTextTest {
    @Test
    void renderWhenPlaceholdersWithOrWithoutSpacesThenReplacedAndDollarSignsKept() {
        String out = TemplateText.render("Hi {{name}}, {{ otp }} costs $1 {{ name}}", Map.of("name", "A$1\\b", "otp", "42"),
                v -> v);

        assertThat(out).isEqualTo("Hi A$1\\b, 42 costs $1 A$1\\b");
    }

    @Test
    void variablesWhenTextThenNamesInOrderOnce() {
        assertThat(TemplateText.variables("{{a}} {{ b.c }} {{a}} {{not valid}} {x}")).containsExactly("a", "b.c");
    }

    @Test
    void renderWhenValueMissingThenIllegalArgument() {
        assertThatThrownBy(() -> TemplateText.render("{{x}}", Map.of(), v -> v)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void htmlAndOneLineWhenUnsafeThenEscaped() {
        assertThat(TemplateText.html("<a href=\"x\">&'")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        assertThat(TemplateText.oneLine("a\r\nBcc: x")).isEqualTo("a  Bcc: x");
    }
}
