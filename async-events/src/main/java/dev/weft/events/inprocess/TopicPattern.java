package dev.weft.events.inprocess;

/**
 * AMQP topic matching, so that the in-process bus routes exactly as a RabbitMQ topic exchange would: words are
 * separated by {@code .}; {@code *} matches exactly one word, {@code #} zero or more.
 */
final class TopicPattern {
    private TopicPattern() {}

    static boolean matches(String pattern, String routingKey) {
        return matches(pattern.split("\\.", -1), 0, routingKey.split("\\.", -1), 0);
    }

    private static boolean matches(String[] p, int pi, String[] k, int ki) {
        if (pi == p.length) {
            return ki == k.length;
        }
        if (p[pi].equals("#")) {
            for (int skip = ki; skip <= k.length; skip++) {
                if (matches(p, pi + 1, k, skip)) {
                    return true;
                }
            }
            return false;
        }
        if (ki == k.length) {
            return false;
        }
        return (p[pi].equals("*") || p[pi].equals(k[ki])) && matches(p, pi + 1, k, ki + 1);
    }
}
