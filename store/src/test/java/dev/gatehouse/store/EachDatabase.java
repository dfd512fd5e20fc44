package dev.gatehouse.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once per database kind of {@link TestDatabases#kinds()}: H2 always, PostgreSQL when
 * {@code GATEHOUSE_TEST_POSTGRES_URL} is set. The test method takes the kind as its only parameter
 * and opens its own fresh database with {@link StoreFixture#open(String)}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{0}]")
@MethodSource("dev.gatehouse.store.TestDatabases#kinds")
@interface EachDatabase {}
