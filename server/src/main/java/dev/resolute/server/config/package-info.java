/**
 * Typed server configuration: one record per section ({@link
 * dev.resolute.server.config.ServerConfig}, {@link dev.resolute.server.config.IngressConfig}, …)
 * with restate-server's key names, loaded by {@link dev.resolute.server.config.ConfigLoader} from
 * defaults, a TOML file, {@code RESTATE_…} environment variables and the command line.
 */
package dev.resolute.server.config;
