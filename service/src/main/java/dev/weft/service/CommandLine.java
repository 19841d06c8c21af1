package dev.weft.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A service's command line: {@code [--config FILE]} (else {@code $WEFT_CONFIG}, else no file) and {@code --help}.
 *
 * @param configFile the configuration file, or null for none
 * @param help       true when the usage was asked for
 * @param problems   every argument that could not be used, each as a configuration problem
 */
record CommandLine(Path configFile, boolean help, List<String> problems) {

    static CommandLine parse(String name, String[] args, Map<String, String> env) {
        String file = env.get("WEFT_CONFIG");
        boolean help = false;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                help = true;
            } else if (a.equals("--config") && i + 1 < args.length) {
                file = args[++i];
            } else if (a.startsWith("--config=")) {
                file = a.substring("--config=".length());
            } else {
                problems.add("argument " + a + ": must be --config FILE or --help; usage: " + usage(name));
            }
        }
        return new CommandLine(file == null || file.isBlank() ? null : Path.of(file), help, problems);
    }

    static String usage(String name) {
        return name + " [--config FILE]";
    }

    /** The whole help text. */
    static String help(String name) {
        return """
                usage: %1$s [--config FILE]

                Starts %1$s. The configuration is FILE (YAML or JSON; else $WEFT_CONFIG; else the built-in
                defaults). Any setting can be overridden by an environment variable WEFT_<PATH> or a system
                property -Dweft.<path> (WEFT_SERVER_PORT=9090, -Dweft.db.url=jdbc:...); PORT sets the port.
                A configuration problem stops it with status 2, listing every problem with its origin.
                Serves /health/live, /health/ready and /metrics; stops gracefully on SIGTERM or Ctrl-C.
                """.formatted(name);
    }
}
