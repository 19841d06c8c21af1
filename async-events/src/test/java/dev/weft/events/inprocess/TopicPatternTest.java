package dev.weft.events.inprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicPatternTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "order.created, order.created, true",
            "order.created, order.paid, false",
            "order.*, order.created, true",
            "order.*, order.created.v2, false",
            "order.*, order, false",
            "order.#, order, true",
            "order.#, order.created.v2, true",
            "#, anything.at.all, true",
            "*.created, order.created, true",
            "*.created, created, false",
            "#.created, a.b.created, true",
            "#.created, a.b.paid, false",
            "order.#.v2, order.v2, true",
            "order.#.v2, order.created.v2, true",
    })
    void matchesLikeATopicExchange(String pattern, String key, boolean expected) {
        assertEquals(expected, TopicPattern.matches(pattern, key));
    }
}
