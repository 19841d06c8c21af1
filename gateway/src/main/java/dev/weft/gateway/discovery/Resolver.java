package dev.weft.gateway.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves a name to all its addresses; the JDK's resolver by default, a fixed table in tests. */
@FunctionalInterface
public interface Resolver {
    Resolver SYSTEM = name -> List.of(InetAddress.getAllByName(name));

    List<InetAddress> resolve(String name) throws UnknownHostException;
}
