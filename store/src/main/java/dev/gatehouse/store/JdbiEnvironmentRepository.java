package dev.gatehouse.store;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.environment.EnvironmentRepository;
import dev.gatehouse.core.environment.EnvironmentType;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

public final class JdbiEnvironmentRepository implements EnvironmentRepository {
    private static final RowMapper<Environment> MAPPER = (rs, ctx) -> new Environment(
            rs.getString("id"), rs.getString("name"), rs.getString("issuer_url"),
            Timestamps.read(rs, "create_time"), EnvironmentType.valueOf(rs.getString("environment_type")));

    private final JdbiTransactions tx;

    public JdbiEnvironmentRepository(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void create(Environment environment) {
        tx.withHandle(h -> h.createUpdate(
                        "insert into environments (id, name, issuer_url, create_time, environment_type)"
                                + " values (:id, :name, :issuer, :created, :type)")
                .bind("id", environment.id())
                .bind("name", environment.name())
                .bind("issuer", environment.issuerUrl())
                .bind("created", Timestamps.bind(environment.createTime()))
                .bind("type", environment.type().name())
                .execute());
    }

    @Override
    public Optional<Environment> findById(String environmentId) {
        return tx.withHandle(h -> h.createQuery("select * from environments where id = :id")
                .bind("id", environmentId).map(MAPPER).findOne());
    }

    @Override
    public Optional<Environment> findByIssuer(String issuerUrl) {
        return tx.withHandle(h -> h.createQuery("select * from environments where issuer_url = :issuer")
                .bind("issuer", issuerUrl).map(MAPPER).findOne());
    }

    @Override
    public List<Environment> list() {
        return tx.withHandle(h -> h.createQuery("select * from environments order by create_time, id").map(MAPPER).list());
    }
}
