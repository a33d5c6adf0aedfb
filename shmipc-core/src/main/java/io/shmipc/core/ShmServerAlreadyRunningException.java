package io.shmipc.core;

/** Another server already serves this name. Only one server per name may run on a host. */
public class ShmServerAlreadyRunningException extends ShmException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final long pid;

    /**
     * @param name the shmipc name
     * @param pid the running server's process id, or -1 if it could not be read
     * @param lockPath the lock file the running server holds
     */
    public ShmServerAlreadyRunningException(String name, long pid, String lockPath) {
        super("a shmipc server for name '" + name + "' is already running"
                + (pid > 0 ? " (pid " + pid + ")" : "") + ", holding " + lockPath
                + "; stop it first or choose another shmipc.name");
        this.name = name;
        this.pid = pid;
    }

    /** @return the shmipc name */
    public String getName() {
        return name;
    }

    /** @return the pid of the running server, or -1 if unknown */
    public long getPid() {
        return pid;
    }
}
