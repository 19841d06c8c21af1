package dev.weft.ops.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsSamplesLabelsEscapesAndSpecialValues() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP cache_gets_total Reads by level and result
                # TYPE cache_gets_total counter
                cache_gets_total{cache="products",level="l1",result="hit"} 70.0
                hikaricp_connections_active{pool="shop"} 3
                odd{path="a\\"b\\\\c\\nd", empty=""} +Inf 1733446368532
                jvm_gc_overhead NaN
                process_start_time_seconds 1.7334463E9
                """);
        assertEquals(5, samples.size());
        assertEquals(new PrometheusText.Sample("cache_gets_total",
                Map.of("cache", "products", "level", "l1", "result", "hit"), 70.0), samples.get(0));
        assertEquals(3.0, samples.get(1).value());
        assertEquals(Map.of("path", "a\"b\\c\nd", "empty", ""), samples.get(2).labels());
        assertEquals(Double.POSITIVE_INFINITY, samples.get(2).value());
        assertTrue(Double.isNaN(samples.get(3).value()));
        assertEquals(1.7334463E9, samples.get(4).value());
    }

    @Test
    void aLineThatIsNotASampleIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.parse("ok 1\n<html>not metrics</html>\n"));
        assertTrue(e.getMessage().startsWith("line 2 is not a Prometheus sample"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("name{a=\"x\"} twelve\n"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("name{a=\"\\q\"} 1\n"));
    }
}
