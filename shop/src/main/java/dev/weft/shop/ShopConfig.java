package dev.weft.shop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.weft.http.ConfigException;
import dev.weft.http.ServerConfig;
import dev.weft.http.config.ConfigFile;
import dev.weft.http.config.ServerConfigs;

/**
 * The shop's configuration: the file (if any), with the environment over it, and the server's and the storefront's
 * settings read from it.
 *
 * <p>The file is {@code --config FILE} on the command line, else {@code $WEFT_CONFIG}, else none (every setting
 * at its default). {@code WEFT_*} variables override single settings (see {@link ConfigFile}); {@code PORT}, the
 * variable that platforms such as Heroku or Cloud Run set, overrides the port last of all. The server binds
 * {@code 0.0.0.0:8080} by default.
 *
 * @param file       the configuration file, for further components' own sections
 * @param server     the server's settings, validated
 * @param storefront the storefront's settings, validated
 */
public record ShopConfig(ConfigFile file, ServerConfig server, StorefrontConfig storefront) {
    /** The file's top-level sections: the server's, and the storefront's. */
    public static final List<String> SECTIONS = Stream.concat(Stream.of("server"),
            StorefrontConfig.SECTIONS.stream()).toList();

    /**
     * Reads the configuration.
     *
     * @throws ConfigException listing every problem: arguments, file syntax, values, unknown keys, validation
     */
    public static ShopConfig load(String[] args, Map<String, String> env) {
        List<String> argProblems = new ArrayList<>();
        String path = env.get("WEFT_CONFIG");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[++i];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            } else {
                argProblems.add("argument " + args[i] + ": unknown; usage: shop [--config FILE]");
            }
        }
        ConfigFile file = path == null || path.isBlank()
                ? ConfigFile.environmentOnly(env)
                : ConfigFile.load(Path.of(path), env);
        file.addProblems(argProblems);
        file.root().rejectUnknownKeys(SECTIONS);

        ServerConfig.Builder server = ServerConfigs.apply(file.section("server"), ServerConfig.defaults().toBuilder());
        String port = env.get("PORT");
        if (port != null && !port.isBlank()) {
            try {
                server.port(Integer.parseInt(port.strip()));
            } catch (NumberFormatException e) {
                file.addProblems(List.of("PORT: must be a port number, was \"" + port + "\""));
            }
        }
        ServerConfig config = server.build();
        List<String> invalid = config.validate();
        if (port != null) {
            invalid = invalid.stream().map(p -> p.startsWith("server.port: ") ? p + " (from PORT)" : p).toList();
        }
        file.addProblems(invalid);
        StorefrontConfig storefront = StorefrontConfig.from(file);
        file.throwIfProblems();
        return new ShopConfig(file, config, storefront);
    }
}
