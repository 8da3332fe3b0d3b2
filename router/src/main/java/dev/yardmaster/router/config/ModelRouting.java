package dev.yardmaster.router.config;

import dev.yardmaster.profiler.profile.Profile;
import java.nio.file.Path;

/**
 * One {@code models:} entry: a model the router routes by its profile.
 *
 * @param name the model name requests carry ({@code name})
 * @param profileFile the profile file ({@code profile}, relative to the config file)
 * @param profile the profile read from it at load time, so a bad file fails the load, not a request
 */
public record ModelRouting(String name, Path profileFile, Profile profile) {}
