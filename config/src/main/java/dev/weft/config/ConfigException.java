package dev.weft.config;

import java.util.List;

/**
 * A configuration that cannot be used. {@link #problems()} lists every problem found, each naming the setting's
 * path and, when it came from a file, the environment or a system property, where: a service stops on this before
 * it binds, and its user fixes everything in one edit instead of one problem per restart.
 */
public final class ConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        StringBuilder sb = new StringBuilder("invalid configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
