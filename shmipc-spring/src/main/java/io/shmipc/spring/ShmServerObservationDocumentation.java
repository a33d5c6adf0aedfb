package io.shmipc.spring;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of the serving side, with their keys. Key names follow the OpenTelemetry RPC semantic
 * conventions where one fits ({@code rpc.system}, {@code rpc.method}).
 */
public enum ShmServerObservationDocumentation implements ObservationDocumentation {

    /** One request served by a {@link ShmHandler} method, from dispatch to reply written. */
    SERVER_REQUESTS {
        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultShmServerObservationConvention.class;
        }

        @Override
        public String getName() {
            return DefaultShmServerObservationConvention.NAME;
        }

        @Override
        public String getContextualName() {
            return "shmipc serve %s";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    };

    /** Keys with a bounded set of values: tags of the {@code shmipc.server.requests} timer. */
    public enum LowCardinalityKeyNames implements KeyName {

        /** The RPC system: always {@code shmipc}. */
        RPC_SYSTEM {
            @Override
            public String asString() {
                return "rpc.system";
            }
        },

        /** The route; {@code UNKNOWN} for routes without a handler, so clients cannot grow the tag set. */
        RPC_METHOD {
            @Override
            public String asString() {
                return "rpc.method";
            }
        },

        /** The shmipc name served. */
        SHM_NAME {
            @Override
            public String asString() {
                return ShmObservationKeys.NAME;
            }
        },

        /** How the request ended: a {@link ShmOutcome}. */
        OUTCOME {
            @Override
            public String asString() {
                return ShmObservationKeys.OUTCOME;
            }
        },

        /** What delivered the request: {@code shm}, or a remote transport such as {@code grpc}. */
        TRANSPORT {
            @Override
            public String asString() {
                return ShmObservationKeys.TRANSPORT;
            }
        }
    }

    /** Keys unique per request or per client: on spans only, never timer tags. */
    public enum HighCardinalityKeyNames implements KeyName {

        /** The calling process id, as the client saw it. */
        CLIENT_PID {
            @Override
            public String asString() {
                return "shmipc.client.pid";
            }
        },

        /** The client's request id, unique per client process. */
        REQUEST_ID {
            @Override
            public String asString() {
                return "shmipc.request.id";
            }
        }
    }
}
