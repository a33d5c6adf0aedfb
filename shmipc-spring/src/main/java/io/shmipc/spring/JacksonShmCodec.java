package io.shmipc.spring;

import java.lang.reflect.Type;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default {@link ShmCodec}: JSON through a Jackson 3 {@link JsonMapper}, normally the application's
 * own, so payloads follow the same naming and date settings as its HTTP API.
 */
public class JacksonShmCodec implements ShmCodec {

    private final JsonMapper mapper;

    /** @param mapper the mapper to encode and decode with */
    public JacksonShmCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] encode(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public Object decode(byte[] data, Type type) {
        return mapper.readValue(data, mapper.constructType(type));
    }
}
