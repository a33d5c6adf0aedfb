package io.shmipc.core.internal;

import io.shmipc.core.ShmServerUnavailableException;
import java.nio.file.Path;

/**
 * The server of a connection is gone and its path now names another file, or none: its files were removed
 * after it died ({@code rm}, systemd's {@code RemoveIPC}) and perhaps a new server created fresh ones. Thrown
 * before anything is sent, so the client maps the path afresh and tries once more; a caller that still sees it
 * sees a plain {@link ShmServerUnavailableException}.
 */
public final class RegionReplacedException extends ShmServerUnavailableException {

    private static final long serialVersionUID = 1L;

    RegionReplacedException(String name, Path region) {
        super("the shmipc region " + region + " of '" + name + "' was removed or replaced after its server went away;"
                + " the request was not sent. The next call maps the path afresh");
    }
}
