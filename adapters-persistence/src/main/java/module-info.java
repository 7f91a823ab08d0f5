/** PostgreSQL through HikariCP and Jdbi; owns the application's tables and their Flyway history. */
module ponte.adapters.persistence {
    requires ponte.application;
    requires java.sql;
    requires org.jdbi.v3.core;
    requires io.leangen.geantyref; // Jdbi needs it at run time but, as an automatic module, cannot require it (P6)
    requires com.zaxxer.hikari;
    requires flyway.core; // name derived from the jar's file name: Flyway ships no module name (P8)
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports ponte.adapters.persistence to ponte.bootstrap;
    opens db.ponte; // Flyway reads the migrations as resources (P7)
}
