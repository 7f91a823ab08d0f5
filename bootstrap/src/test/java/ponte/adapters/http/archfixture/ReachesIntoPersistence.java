package ponte.adapters.http.archfixture;

/** An adapter importing another adapter, on purpose, so the architecture test can show its rule fires. */
public final class ReachesIntoPersistence {
    private ReachesIntoPersistence() {}

    public static String store() {
        return ponte.adapters.persistence.PersistenceAdapter.class.getName()
                + org.jdbi.v3.core.Jdbi.class.getName();
    }
}
