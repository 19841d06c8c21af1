package dev.weft.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

/**
 * {@code Weft.run} reads Weft's own configuration sections while SLF4J initialises on another thread, which is safe
 * only if that reading asks for no logger: SLF4J hands a logger asked for in the instant its initialisation ends a
 * no-op for good. The reading runs here in a class loader of its own, where SLF4J's classes are fresh, with the
 * logging future failed so that it stops where {@code Weft.run} would wait; {@code LoggerFactory} must not have
 * been loaded by then.
 */
class StartupLoggingTest {
    private static final String EVERY_SECTION = """
            server: {host: 127.0.0.1, port: 0}
            db: {url: "jdbc:h2:mem:startup-logging"}
            cache: {mode: local}
            events: {mode: inprocess}
            """;

    @Test
    void weftsOwnSectionsAreReadWithoutAskingForALogger() throws Exception {
        Fresh loader = new Fresh(getClass().getClassLoader());
        Class<?> tree = loader.loadClass("dev.weft.config.ConfigTree");
        Object config = tree.getMethod("parse", String.class, String.class).invoke(null, "test.yaml", EVERY_SECTION);
        Class<?> startup = loader.loadClass("dev.weft.service.Weft$Startup");
        Class<?> factory = loader.loadClass("dev.weft.service.ServiceFactory");
        Method read = startup.getDeclaredMethod("read", String.class, tree, factory, List.class,
                CompletableFuture.class);
        read.setAccessible(true);
        CompletableFuture<Void> loggingFailed = CompletableFuture.failedFuture(new IllegalStateException("stop"));

        InvocationTargetException stopped = assertThrows(InvocationTargetException.class,
                () -> read.invoke(null, "svc", config, null, List.of(), loggingFailed));

        assertTrue(stopped.getCause() instanceof CompletionException, stopped.getCause().toString());
        assertEquals("stop", stopped.getCause().getCause().getMessage(), "it stopped where it waits for SLF4J");
        for (String module : List.of("DbModule", "CacheModule", "EventsModule")) {
            assertTrue(loader.loaded("dev.weft.service." + module), module + "'s section was read");
        }
        assertFalse(loader.loaded("org.slf4j.LoggerFactory"), "a logger was asked for before SLF4J was ready");

        // The check can see a logger asked for: RunningService has a static one.
        Class.forName("dev.weft.service.RunningService", true, loader);
        assertTrue(loader.loaded("org.slf4j.LoggerFactory"));
    }

    /** Defines Weft's and SLF4J's classes afresh from the parent's class files; everything else is the parent's. */
    private static final class Fresh extends ClassLoader {
        Fresh(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.weft.") && !name.startsWith("org.slf4j.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }
    }
}
