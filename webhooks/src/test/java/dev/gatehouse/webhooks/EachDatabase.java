package dev.gatehouse.webhooks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs a test on H2, and on PostgreSQL when GATEHOUSE_TEST_POSTGRES_URL is set. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{0}]")
@MethodSource("dev.gatehouse.store.TestDatabases#kinds")
@interface EachDatabase {}
