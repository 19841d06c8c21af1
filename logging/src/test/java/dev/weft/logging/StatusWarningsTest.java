package dev.weft.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.status.WarnStatus;

class StatusWarningsTest {
    @Test
    void logbacksWarningsAndErrorsReachStandardErrorAndItsInfoDoesNot() {
        LoggerContext context = new LoggerContext();
        context.getStatusManager().add(new WarnStatus("before the configuration", this));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ClassLoader noFiles = new ClassLoader(null) {};

        new LogbackConfigurator(Map.of(), Map.of(), noFiles, new PrintStream(err, true, StandardCharsets.UTF_8))
                .configure(context);
        context.getStatusManager().add(new InfoStatus("chatter", this));
        context.getStatusManager().add(new ErrorStatus("cannot write", this));

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("logback: WARN") && lines.get(0).endsWith("before the configuration"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("logback: ERROR") && lines.get(1).endsWith("cannot write"), lines.get(1));
        // With a listener, Logback skips its StatusPrinter at the end of its start.
        assertTrue(StatusUtil.contextHasStatusListener(context));
    }
}
