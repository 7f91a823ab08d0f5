package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start log line counts resumed sessions in English. */
class StartLineTest {
    @Test
    void oneSessionIsSingular() {
        assertThat(Gateway.sessions(0)).isEqualTo("0 sessions");
        assertThat(Gateway.sessions(1)).isEqualTo("1 session");
        assertThat(Gateway.sessions(2)).isEqualTo("2 sessions");
    }
}
