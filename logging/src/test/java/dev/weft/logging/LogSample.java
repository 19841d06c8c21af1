package dev.weft.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** A process that logs one event of each kind the tests look for, through SLF4J as a service would, then exits. */
public final class LogSample {
    private LogSample() {}

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("dev.weft.sample");
        log.info("started");
        MDC.put("request_id", "3f2a9c0d5e6b7a8c");
        try {
            log.info("handling {} with \"quotes\", a tab\tand a\nsecond line", "/notes/1");
            log.debug("not shown at the default level");
            log.error("request failed", new IllegalStateException("outer", new RuntimeException("the cause")));
        } finally {
            MDC.remove("request_id");
        }
        LoggerFactory.getLogger("com.zaxxer.hikari.pool").info("quietened by WEFT_LOG_LEVEL in one test");
        log.info("stopped");
    }
}
