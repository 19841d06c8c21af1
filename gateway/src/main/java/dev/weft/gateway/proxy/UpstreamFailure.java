package dev.weft.gateway.proxy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;

import dev.weft.gateway.client.MalformedResponseException;

/**
 * Why an attempt at an instance failed, and what the client is told when it was the last attempt: 504 when the
 * instance was too slow, 502 when it failed in any other way.
 */
enum UpstreamFailure {
    CONNECT_TIMEOUT("connect", 504),
    CONNECT_FAILED("connect", 502),
    TIMEOUT("timeout", 504),
    RESET("reset", 502),
    PROTOCOL("protocol", 502);

    final String metricKind;
    final int status;

    UpstreamFailure(String metricKind, int status) {
        this.metricKind = metricKind;
        this.status = status;
    }

    static UpstreamFailure ofConnect(IOException e) {
        return e instanceof SocketTimeoutException ? CONNECT_TIMEOUT : CONNECT_FAILED;
    }

    static UpstreamFailure ofExchange(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return TIMEOUT;
        }
        if (e instanceof MalformedResponseException) {
            return PROTOCOL;
        }
        if (e instanceof ConnectException) {
            return CONNECT_FAILED;
        }
        return RESET;
    }
}
