package dev.gatehouse.store;

import dev.gatehouse.core.key.SigningKey;
import dev.gatehouse.core.key.SigningKeyRepository;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiSigningKeyRepository implements SigningKeyRepository {
    private static final RowMapper<SigningKey> MAPPER = (rs, ctx) -> new SigningKey(
            rs.getString("kid"),
            rs.getString("environment_id"),
            rs.getString("algorithm"),
            Base64.getDecoder().decode(rs.getString("public_key_der")),
            Base64.getDecoder().decode(rs.getString("sealed_private_key")),
            SigningKey.KeyState.valueOf(rs.getString("state")),
            Timestamps.read(rs, "create_time"),
            Timestamps.readOptional(rs, "retire_time"));

    private final JdbiTransactions tx;

    public JdbiSigningKeyRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(SigningKey key) {
        tx.withHandle(h -> h.createUpdate("""
                        insert into signing_keys (kid, environment_id, algorithm, public_key_der, sealed_private_key,
                                                  state, create_time, retire_time)
                        values (:kid, :env, :alg, :pub, :priv, :state, :created, :retired)""")
                .bind("kid", key.kid())
                .bind("env", key.environmentId())
                .bind("alg", key.algorithm())
                .bind("pub", Base64.getEncoder().encodeToString(key.publicKeyDer()))
                .bind("priv", Base64.getEncoder().encodeToString(key.sealedPrivateKey()))
                .bind("state", key.state().name())
                .bind("created", Timestamps.bind(key.createTime()))
                .bind("retired", Timestamps.bind(key.retireTime().orElse(null)))
                .execute());
    }

    @Override
    public List<SigningKey> published(String environmentId, Instant retiredAfter) {
        return tx.withHandle(h -> h.createQuery("""
                        select * from signing_keys
                        where environment_id = :env and (state = 'ACTIVE' or retire_time > :after)
                        order by create_time desc, kid desc""")
                .bind("env", environmentId)
                .bind("after", Timestamps.bind(retiredAfter))
                .map(MAPPER).list());
    }

    @Override
    public void endSigningBy(String environmentId, Instant until) {
        tx.withHandle(h -> h.createUpdate(
                        "update signing_keys set retire_time = :until where environment_id = :env and state = 'RETIRED'"
                                + " and retire_time > :until")
                .bind("env", environmentId).bind("until", Timestamps.bind(until)).execute());
    }

    @Override
    public void retireAllExcept(String environmentId, String exceptKid, Instant when) {
        tx.withHandle(h -> h.createUpdate("""
                        update signing_keys set state = 'RETIRED', retire_time = :when
                        where environment_id = :env and state = 'ACTIVE' and kid <> :kid""")
                .bind("env", environmentId)
                .bind("kid", exceptKid)
                .bind("when", Timestamps.bind(when))
                .execute());
    }
}
