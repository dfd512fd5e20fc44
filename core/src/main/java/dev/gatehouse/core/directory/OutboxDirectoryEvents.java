package dev.gatehouse.core.directory;

import dev.gatehouse.core.event.Event;
import dev.gatehouse.core.event.Json;
import dev.gatehouse.core.event.Outbox;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Directory changes into the events outbox, in the transaction of the SCIM or API change that made
 * them: the envelope of spec §6.1 around the §6.2 payload, with {@code directory_id} added to the data.
 */
public final class OutboxDirectoryEvents implements DirectoryEventSink {
    private final Outbox outbox;
    private final IdGenerator ids;

    public OutboxDirectoryEvents(Outbox outbox, IdGenerator ids) {
        this.outbox = outbox;
        this.ids = ids;
    }

    @Override
    public void publish(DirectoryEvent event) {
        Map<String, Object> data = new LinkedHashMap<>(event.data());
        data.putIfAbsent("directory_id", event.directoryId());
        outbox.append(new Event(ids.next(IdPrefix.EVENT), event.objectType(), event.environmentId(),
                Optional.of(event.organizationId()), event.occurredAt(), event.type(), Json.value(data)));
    }
}
