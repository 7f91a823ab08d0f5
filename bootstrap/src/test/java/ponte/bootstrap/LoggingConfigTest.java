package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The shipped Logback configuration (bootstrap's {@code logback.xml}) keeps known harmless noise out of the log. */
class LoggingConfigTest {

    @Test
    void pdfBoxsUnmappingRefusalIsNotLoggedAsAnError() {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var seen = new ListAppender<ILoggingEvent>();
        seen.start();
        root.addAppender(seen);
        try {
            // what PDFBox's IOUtils logs once it loads, on every JVM where its unmapper is closed to it
            LoggerFactory.getLogger("org.apache.pdfbox.io.IOUtils")
                    .error("Unmapping is not supported.", new IllegalAccessException("closed"));
            LoggerFactory.getLogger("ponte.bootstrap.LoggingConfigTest").error("still logged");
        } finally {
            root.detachAppender(seen);
        }
        assertThat(seen.list).extracting(ILoggingEvent::getLoggerName)
                .containsExactly("ponte.bootstrap.LoggingConfigTest");
    }
}
