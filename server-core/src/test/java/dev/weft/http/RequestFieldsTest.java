package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestFieldsTest {
    private final RequestFields fields = new RequestFields();

    /** Fields written {@code name=value}, separated by {@code ;}; {@code \r}, {@code \n}, {@code \0} escaped. */
    private String check(boolean trailers, String list) {
        fields.reset(trailers);
        for (String field : list.split(";")) {
            int eq = field.indexOf('=', 1);
            fields.field(unescape(field.substring(0, eq)), unescape(field.substring(eq + 1)));
        }
        return fields.finish();
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0").replace("\\t", "\t");
    }

    @Test
    void acceptsAWellFormedRequest() {
        assertNull(check(false, ":method=GET;:scheme=https;:authority=example.com;:path=/a?b=c;accept=*/*;"
                + "cookie=a=b;user-agent=curl/8;cookie=c=d;te=trailers;cookie=e=f"));
        assertEquals("GET", fields.method());
        assertEquals("https", fields.scheme());
        assertEquals("example.com", fields.authority());
        assertEquals("/a?b=c", fields.path());
        List<String> regular = new ArrayList<>();
        fields.headers().forEach((n, v) -> regular.add(n + ": " + v));
        assertEquals(List.of("accept: */*", "cookie: a=b; c=d; e=f", "user-agent: curl/8", "te: trailers"), regular,
                "cookies joined with \"; \" (RFC 9113 section 8.2.3)");
    }

    @Test
    void acceptsTheSpecialForms() {
        assertNull(check(false, ":method=OPTIONS;:scheme=http;:path=*"));
        assertNull(check(false, ":method=CONNECT;:authority=example.com:443"));
        assertNull(check(false, ":method=GET;:scheme=http;:path=/;host=example.com"));
        assertEquals("example.com", fields.authority(), "Host stands in for a missing :authority");
        assertNull(check(false, ":method=GET;:scheme=http;:path=/;:authority=Example.com;host=example.COM"));
        assertNull(check(true, "grpc-status=0;grpc-message=ok"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "upper case in a name | :method=GET;:scheme=http;:path=/;Accept=*/* | field name \"Accept\" in upper case",
        "space in a name | :method=GET;:scheme=http;:path=/;a b=c | field name \"a b\" with an invalid character",
        "colon in a name               | :method=GET;:scheme=http;:path=/;a:b=c       | with an invalid character",
        "non-ASCII in a name           | :method=GET;:scheme=http;:path=/;é=c         | with an invalid character",
        "CR in a value | :method=GET;:scheme=http;:path=/;a=b\\rc | control character in the value of a",
        "LF in a value | :method=GET;:scheme=http;:path=/;a=b\\nc | control character in the value of a",
        "NUL in a value | :method=GET;:scheme=http;:path=/;a=b\\0c | control character in the value of a",
        "leading space in a value      | :method=GET;:scheme=http;:path=/;a= b        | starts or ends with whitespace",
        "trailing tab in a value       | :method=GET;:scheme=http;:path=/;a=b\\t      | starts or ends with whitespace",
        "unknown pseudo-header | :method=GET;:scheme=http;:path=/;:protocol=websocket | unknown pseudo-header field",
        "response pseudo-header | :status=200;:method=GET;:scheme=http;:path=/ | unknown pseudo-header field :status",
        "repeated pseudo-header | :method=GET;:method=GET;:scheme=http;:path=/ | pseudo-header field :method repeated",
        "pseudo-header after a field | :method=GET;:scheme=http;a=b;:path=/ | field :path after a regular field",
        "Connection | :method=GET;:scheme=http;:path=/;connection=close | connection-specific field connection",
        "Keep-Alive | :method=GET;:scheme=http;:path=/;keep-alive=5 | connection-specific field keep-alive",
        "Proxy-Connection              | :method=GET;:scheme=http;:path=/;proxy-connection=close | connection-specific",
        "Transfer-Encoding | :method=GET;:scheme=http;:path=/;transfer-encoding=chunked | connection-specific",
        "Upgrade | :method=GET;:scheme=http;:path=/;upgrade=h2c | connection-specific field upgrade",
        "TE other than trailers | :method=GET;:scheme=http;:path=/;te=gzip | te with a value other than trailers",
        "missing :method               | :scheme=http;:path=/                         | missing :method",
        "missing :scheme               | :method=GET;:path=/                          | missing :scheme",
        "missing :path                 | :method=GET;:scheme=http                     | missing :path",
        "empty :path                   | :method=GET;:scheme=http;:path=              | empty :path",
        "relative :path | :method=GET;:scheme=http;:path=a/b | is neither absolute nor * for OPTIONS",
        "* for GET | :method=GET;:scheme=http;:path=* | is neither absolute nor * for OPTIONS",
        "space in :path | :method=GET;:scheme=http;:path=/a b | with a character a URI cannot contain",
        "method not a token            | :method=G(T;:scheme=http;:path=/             | is not a token",
        "CONNECT with :path            | :method=CONNECT;:authority=h:443;:path=/     | CONNECT with :scheme or :path",
        "CONNECT without :authority | :method=CONNECT;a=b | CONNECT with :scheme or :path, or without :authority",
        "userinfo in :authority        | :method=GET;:scheme=http;:path=/;:authority=u@h | :authority with userinfo",
        "Host differs from :authority | :method=GET;:scheme=http;:path=/;:authority=a;host=b | differs from :authority",
    })
    void refusesMalformedRequests(String rule, String list, String message) {
        String problem = check(false, list);
        assertEquals(true, problem != null && problem.contains(message), rule + ": " + problem);
    }

    @Test
    void refusesPseudoHeadersInTrailersAndKeepsTheFirstProblem() {
        assertEquals("pseudo-header field :path in trailers", check(true, "a=b;:path=/"));
        assertEquals("field name \"A\" in upper case", check(false, ":method=GET;A=1;connection=close"));
    }
}
