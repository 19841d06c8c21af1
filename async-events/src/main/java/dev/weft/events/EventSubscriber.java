package dev.weft.events;

import java.util.List;

/**
 * Registers consumer groups. Every group receives its own copy of each event whose type matches one of its
 * patterns; within a group, each event goes to one handler call. Patterns are AMQP topic patterns over the dotted
 * type: {@code *} matches one word, {@code #} zero or more ({@code order.*}, {@code order.#}, {@code #}).
 */
public interface EventSubscriber {
    /**
     * Declares the group's queues if needed and starts delivering to {@code handler}. The returned subscription
     * stops delivery gracefully when closed.
     */
    Subscription subscribe(String group, List<String> typePatterns, EventHandler handler);
}
