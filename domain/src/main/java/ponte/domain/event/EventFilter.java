package ponte.domain.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violation;

/** Which event types a subscriber wants; empty means every type. */
public record EventFilter(Set<EventType> types) {
    public static final EventFilter ALL = new EventFilter(Set.of());

    public EventFilter {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
    }

    /** Parses wire names; unknown names are a validation error on {@code field}. */
    public static EventFilter parse(String field, Collection<String> names) {
        if (names == null || names.isEmpty()) {
            return ALL;
        }
        var types = EnumSet.noneOf(EventType.class);
        var problems = new ArrayList<Violation>();
        int index = 0;
        for (var name : names) {
            var type = EventType.fromWire(name);
            if (type.isPresent()) {
                types.add(type.get());
            } else {
                problems.add(new Violation(field + "[" + index + "]", "'" + name
                        + "' is not an event type; see GET /v1/events/types"));
            }
            index++;
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
        return new EventFilter(types);
    }

    public boolean matches(EventType type) {
        return types.isEmpty() || types.contains(type);
    }

    /** Wire names in the enum's order, as they are shown and stored. */
    public List<String> wireNames() {
        return types.stream().sorted().map(EventType::wireName).toList();
    }
}
