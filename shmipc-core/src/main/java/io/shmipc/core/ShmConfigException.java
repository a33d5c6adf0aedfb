package io.shmipc.core;

import java.util.Objects;

/**
 * A setting of {@link ShmConfig} (or a region name) has a value the engine cannot use. {@link #setting()}
 * says which, so that a layer with its own names for the settings (such as Spring Boot properties)
 * can name its own key without reading the message.
 */
public class ShmConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The settings the engine checks, with their names on {@link ShmConfig.Builder}. */
    public enum Setting {
        /** The region name shared by a server and its clients. */
        NAME("name"),
        /** {@link ShmConfig#directory()}. */
        DIRECTORY("directory"),
        /** {@link ShmConfig#slotCount()}. */
        SLOT_COUNT("slotCount"),
        /** {@link ShmConfig#slotCapacity()}. */
        SLOT_CAPACITY("slotCapacity"),
        /** {@link ShmConfig#waitMode()}. */
        WAIT_MODE("waitMode"),
        /** {@link ShmConfig#spinTime()}. */
        SPIN_TIME("spinTime"),
        /** {@link ShmConfig#livenessInterval()}. */
        LIVENESS_INTERVAL("livenessInterval"),
        /** {@link ShmConfig#livenessTimeout()}. */
        LIVENESS_TIMEOUT("livenessTimeout"),
        /** {@link ShmConfig#fileMode()}. */
        FILE_MODE("fileMode"),
        /** {@link ShmConfig#serverConcurrency()}. */
        SERVER_CONCURRENCY("serverConcurrency"),
        /** {@link ShmConfig#shutdownGrace()}. */
        SHUTDOWN_GRACE("shutdownGrace");

        private final String builderName;

        Setting(String builderName) {
            this.builderName = builderName;
        }

        /**
         * The setting's name in the engine's API.
         *
         * @return e.g. {@code slotCount}
         */
        public String builderName() {
            return builderName;
        }
    }

    private final Setting setting;
    private final String problem;

    /**
     * Creates the exception; the message is the setting's builder name followed by the problem.
     *
     * @param setting the setting whose value is wrong
     * @param problem what is wrong with the value and what it must be, e.g. "must be at least 1, was 0"
     */
    public ShmConfigException(Setting setting, String problem) {
        super(setting.builderName() + " " + problem);
        this.setting = Objects.requireNonNull(setting, "setting");
        this.problem = problem;
    }

    /**
     * Creates the exception; the message is the setting's builder name followed by the problem.
     *
     * @param setting the setting whose value is wrong
     * @param problem what is wrong with the value and what it must be
     * @param cause the error that showed it
     */
    public ShmConfigException(Setting setting, String problem, Throwable cause) {
        this(setting, problem);
        initCause(cause);
    }

    /**
     * Which setting to fix.
     *
     * @return the setting
     */
    public Setting setting() {
        return setting;
    }

    /**
     * What is wrong with the value, without the setting's name, for messages that name the setting in
     * their own words.
     *
     * @return e.g. "must be between 1 and 4096, was 0"
     */
    public String problem() {
        return problem;
    }
}
