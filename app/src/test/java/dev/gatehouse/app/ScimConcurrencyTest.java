package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.directory.DirectoryProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent PATCHes of one group's members lose nothing: the group row is locked for the read-modify-write.
 * Runs on PostgreSQL when GATEHOUSE_TEST_POSTGRES_URL is set (as in CI), else on H2.
 */
class ScimConcurrencyTest {
    private static TestGatehouse gatehouse;

    @BeforeAll
    static void start() {
        gatehouse = TestGatehouse.start();
    }

    @AfterAll
    static void stop() {
        gatehouse.close();
    }

    @Test
    void patchWhenTwentyParallelMemberAddsThenNoMemberLost() throws Exception {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.OKTA);
        String groupId = dir.create("Groups", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Everyone"}""").path("id").asText();
        List<String> userIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            userIds.add(dir.createUser("parallel-" + i + "@example.com").path("id").asText());
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<TestGatehouse.Response>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (String userId : userIds) {
                results.add(pool.submit(() -> {
                    go.await();
                    return dir.send("PATCH", "/Groups/" + groupId, """
                            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                             "Operations":[{"op":"add","path":"members","value":[{"value":"%s"}]}]}""".formatted(userId));
                }));
            }
            go.countDown();
            for (Future<TestGatehouse.Response> result : results) {
                TestGatehouse.Response response = result.get();
                assertThat(response.status()).as("%s", response).isEqualTo(200);
            }
        }
        assertThat(gatehouse.wiring.directoryResources.memberIds(gatehouse.environmentId(), dir.directory().id(), groupId))
                .containsExactlyInAnyOrderElementsOf(userIds);
        assertThat(dir.get("/Groups/" + groupId).json().path("members")).hasSize(20);
    }

    @Test
    void patchWhenTwentyParallelEmailAddsToOneUserThenNoEmailLost() throws Exception {
        ScimDirectoryFixture dir = ScimDirectoryFixture.create(gatehouse, DirectoryProvider.MICROSOFT_AD);
        String userId = dir.createUser("busy@example.com").path("id").asText();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<TestGatehouse.Response>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                String email = "alias-" + i + "@example.com";
                results.add(pool.submit(() -> {
                    go.await();
                    return dir.send("PATCH", "/Users/" + userId, """
                            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                             "Operations":[{"op":"add","path":"emails","value":[{"value":"%s","type":"other"}]}]}""".formatted(email));
                }));
            }
            go.countDown();
            for (Future<TestGatehouse.Response> result : results) {
                assertThat(result.get().status()).isEqualTo(200);
            }
        }
        assertThat(dir.get("/Users/" + userId).json().path("emails")).hasSize(21);
    }
}
