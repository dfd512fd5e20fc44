package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.environment.Environment;
import dev.gatehouse.core.organization.NewOrganization;
import dev.gatehouse.core.organization.Organization;
import dev.gatehouse.core.organization.OrganizationRef;
import dev.gatehouse.core.organization.RegionCode;
import dev.gatehouse.core.shared.DomainException;
import dev.gatehouse.core.shared.FieldViolation;
import dev.gatehouse.core.shared.IdGenerator;
import dev.gatehouse.core.shared.IdPrefix;
import dev.gatehouse.core.shared.Page;
import dev.gatehouse.core.shared.PageCursor;
import dev.gatehouse.core.shared.PageRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Keyset paging, the external_id filter and search, on each database. */
class OrganizationPagingTest {
    private static NewOrganization named(String displayName, Optional<String> externalId) {
        return new NewOrganization(displayName, RegionCode.US, externalId, Map.of(), Optional.empty(), Optional.empty());
    }

    /** Creates {@code count} organizations, one millisecond apart, and returns them in creation (= ID) order. */
    private static List<Organization> createOrganizations(StoreFixture f, String environmentId, String prefix, int count) {
        List<Organization> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            f.clock.advance(Duration.ofMillis(1));
            created.add(f.organizations.create(environmentId,
                    named(String.format("%s %02d", prefix, i), Optional.of(String.format("%s-ext-%02d", prefix, i)))));
        }
        return created;
    }

    private static List<String> ids(Page<Organization> page) {
        return page.items().stream().map(Organization::id).toList();
    }

    private static List<String> ids(List<Organization> organizations) {
        return organizations.stream().map(Organization::id).toList();
    }

    private static PageRequest at(int size, Optional<PageCursor> cursor) {
        return new PageRequest(size, cursor);
    }

    @EachDatabase
    void listWhenTwentyFiveOrganizationsAndPageSizeTenThenPagesOfTenTenFiveInIdOrder(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            List<Organization> all = createOrganizations(f, env.id(), "Org", 25);

            Page<Organization> first = f.organizations.list(env.id(), PageRequest.first(10), Optional.empty());
            Page<Organization> second = f.organizations.list(env.id(), at(10, first.next()), Optional.empty());
            Page<Organization> third = f.organizations.list(env.id(), at(10, second.next()), Optional.empty());

            assertThat(ids(first)).isEqualTo(ids(all.subList(0, 10)));
            assertThat(ids(second)).isEqualTo(ids(all.subList(10, 20)));
            assertThat(ids(third)).isEqualTo(ids(all.subList(20, 25)));
            assertThat(first.items()).isEqualTo(all.subList(0, 10));
            assertThat(List.of(first.totalSize(), second.totalSize(), third.totalSize())).containsOnly(25L);

            assertThat(first.next()).contains(PageCursor.after(all.get(9).id()));
            assertThat(second.next()).contains(PageCursor.after(all.get(19).id()));
            assertThat(third.next()).isEmpty();
            assertThat(first.previous()).isEmpty();
            assertThat(second.previous()).contains(PageCursor.before(all.get(10).id()));
            assertThat(third.previous()).contains(PageCursor.before(all.get(20).id()));
        }
    }

    @EachDatabase
    void listWhenFollowingPreviousCursorsBackThenSamePagesAsGoingForward(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            createOrganizations(f, env.id(), "Org", 25);
            Page<Organization> first = f.organizations.list(env.id(), PageRequest.first(10), Optional.empty());
            Page<Organization> second = f.organizations.list(env.id(), at(10, first.next()), Optional.empty());
            Page<Organization> third = f.organizations.list(env.id(), at(10, second.next()), Optional.empty());

            Page<Organization> secondAgain = f.organizations.list(env.id(), at(10, third.previous()), Optional.empty());
            Page<Organization> firstAgain = f.organizations.list(env.id(), at(10, secondAgain.previous()), Optional.empty());

            assertThat(secondAgain.items()).isEqualTo(second.items());
            assertThat(secondAgain.next()).isEqualTo(second.next());
            assertThat(secondAgain.previous()).isEqualTo(second.previous());
            assertThat(firstAgain.items()).isEqualTo(first.items());
            assertThat(firstAgain.previous()).isEmpty();
            assertThat(firstAgain.next()).isEqualTo(first.next());
            assertThat(firstAgain.totalSize()).isEqualTo(25);

            Page<Organization> thirdAgain = f.organizations.list(env.id(), at(10, secondAgain.next()), Optional.empty());
            assertThat(thirdAgain.items()).isEqualTo(third.items());
            assertThat(thirdAgain.next()).isEmpty();
        }
    }

    @EachDatabase
    void listWhenOrganizationsInsertedBetweenPagesThenNoDuplicatesAndNoSkippedItems(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            List<Organization> existing = createOrganizations(f, env.id(), "Old", 25);
            Page<Organization> first = f.organizations.list(env.id(), PageRequest.first(10), Optional.empty());

            // New organizations from this node (IDs after every existing one) ...
            List<Organization> added = createOrganizations(f, env.id(), "New", 3);
            // ... and one from a node whose clock is behind, so its ID sorts before the cursor.
            IdGenerator laggingNode = new IdGenerator(Clock.fixed(StoreFixture.START.minus(Duration.ofHours(1)), ZoneOffset.UTC), 2);
            Organization early = new Organization(laggingNode.next(IdPrefix.ORGANIZATION), env.id(), "Lagging", RegionCode.US,
                    Optional.empty(), Map.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                    existing.getFirst().createTime(), existing.getFirst().createTime());
            f.organizationRepository.insert(early);
            assertThat(early.id()).isLessThan(first.items().getLast().id());

            Page<Organization> second = f.organizations.list(env.id(), at(10, first.next()), Optional.empty());
            Page<Organization> third = f.organizations.list(env.id(), at(10, second.next()), Optional.empty());

            assertThat(ids(second)).isEqualTo(ids(existing.subList(10, 20)));
            assertThat(ids(third)).isEqualTo(ids(List.of(existing.get(20), existing.get(21), existing.get(22),
                    existing.get(23), existing.get(24), added.get(0), added.get(1), added.get(2))));
            assertThat(third.next()).isEmpty();
            assertThat(second.totalSize()).isEqualTo(29);

            List<String> seen = new ArrayList<>();
            for (Page<Organization> page : List.of(first, second, third)) {
                seen.addAll(ids(page));
            }
            assertThat(seen).doesNotHaveDuplicates().containsAll(ids(existing)).containsAll(ids(added));
        }
    }

    @EachDatabase
    void listWhenCursorOrganizationDeletedBetweenPagesThenNextPageStillContinuesAfterIt(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            List<Organization> all = createOrganizations(f, env.id(), "Org", 25);
            Page<Organization> first = f.organizations.list(env.id(), PageRequest.first(10), Optional.empty());

            f.organizations.delete(env.id(), new OrganizationRef.ById(all.get(9).id()));
            f.organizations.delete(env.id(), new OrganizationRef.ById(all.get(10).id()));
            Page<Organization> second = f.organizations.list(env.id(), at(10, first.next()), Optional.empty());

            assertThat(ids(second)).isEqualTo(ids(all.subList(11, 21)));
            assertThat(second.totalSize()).isEqualTo(23);
            assertThat(second.next()).contains(PageCursor.after(all.get(20).id()));
            assertThat(second.previous()).contains(PageCursor.before(all.get(11).id()));
        }
    }

    @EachDatabase
    void listWhenPageSizeCoversEverythingThenOnePageWithoutCursors(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            List<Organization> all = createOrganizations(f, env.id(), "Org", 25);

            for (int size : List.of(25, 26, 100)) {
                Page<Organization> page = f.organizations.list(env.id(), PageRequest.first(size), Optional.empty());
                assertThat(ids(page)).as("size %d", size).isEqualTo(ids(all));
                assertThat(page.next()).isEmpty();
                assertThat(page.previous()).isEmpty();
                assertThat(page.totalSize()).isEqualTo(25);
            }
        }
    }

    @EachDatabase
    void listWhenPageSizeOneThenWalksEveryItemOnce(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            List<Organization> all = createOrganizations(f, env.id(), "Org", 5);

            Set<String> walked = new LinkedHashSet<>();
            Optional<PageCursor> cursor = Optional.empty();
            int pages = 0;
            do {
                Page<Organization> page = f.organizations.list(env.id(), at(1, cursor), Optional.empty());
                assertThat(page.items()).hasSize(1);
                walked.addAll(ids(page));
                cursor = page.next();
                pages++;
            } while (cursor.isPresent() && pages < 10);

            assertThat(pages).isEqualTo(5);
            assertThat(walked).containsExactlyElementsOf(ids(all));
        }
    }

    @EachDatabase
    void listWhenEnvironmentEmptyThenEmptyPageWithZeroTotal(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            Page<Organization> page = f.organizations.list(env.id(), PageRequest.first(10), Optional.empty());

            assertThat(page.items()).isEmpty();
            assertThat(page.next()).isEmpty();
            assertThat(page.previous()).isEmpty();
            assertThat(page.totalSize()).isZero();
        }
    }

    @EachDatabase
    void listWhenExternalIdFilterThenOnlyThatOrganizationAndItsTotal(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            List<Organization> all = createOrganizations(f, env.id(), "Org", 12);

            Page<Organization> filtered = f.organizations.list(env.id(), PageRequest.first(10), Optional.of("Org-ext-07"));
            Page<Organization> unknown = f.organizations.list(env.id(), PageRequest.first(10), Optional.of("Org-ext-99"));
            Page<Organization> caseDiffers = f.organizations.list(env.id(), PageRequest.first(10), Optional.of("org-ext-07"));
            Page<Organization> emptyFilter = f.organizations.list(env.id(), PageRequest.first(10), Optional.of(""));

            assertThat(filtered.items()).containsExactly(all.get(7));
            assertThat(filtered.totalSize()).isEqualTo(1);
            assertThat(filtered.next()).isEmpty();
            assertThat(unknown.items()).isEmpty();
            assertThat(unknown.totalSize()).isZero();
            assertThat(caseDiffers.items()).isEmpty();
            assertThat(emptyFilter.items()).hasSize(10);
            assertThat(emptyFilter.totalSize()).isEqualTo(12);
        }
    }

    @EachDatabase
    void searchWhenQueryInAnyCaseThenMatchesNameIdAndExternalId(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization byName = f.organizations.create(env.id(), named("Umbrella Corporation", Optional.empty()));
            Organization byExternal = f.organizations.create(env.id(), named("Initech", Optional.of("CRM-UMBRELLA-7")));
            Organization other = f.organizations.create(env.id(), named("Globex", Optional.of("crm-globex")));

            assertThat(f.organizations.search(env.id(), "umbrella", PageRequest.first(10)).items())
                    .containsExactly(byName, byExternal);
            assertThat(f.organizations.search(env.id(), "UMBRELLA CORP", PageRequest.first(10)).items())
                    .containsExactly(byName);
            assertThat(f.organizations.search(env.id(), "  crm-Umbrella  ", PageRequest.first(10)).items())
                    .containsExactly(byExternal);
            assertThat(f.organizations.search(env.id(), other.id().toUpperCase(java.util.Locale.ROOT), PageRequest.first(10))
                    .items()).containsExactly(other);
            String idTail = other.id().substring(other.id().length() - 6);
            assertThat(f.organizations.search(env.id(), idTail, PageRequest.first(10)).items()).contains(other);
            Page<Organization> nothing = f.organizations.search(env.id(), "Hooli", PageRequest.first(10));
            assertThat(nothing.items()).isEmpty();
            assertThat(nothing.totalSize()).isZero();
        }
    }

    @EachDatabase
    void searchWhenQueryHoldsLikeWildcardsThenMatchedLiterally(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            Organization percent = f.organizations.create(env.id(), named("100% Pure", Optional.empty()));
            f.organizations.create(env.id(), named("1000 Pure", Optional.empty()));
            Organization underscore = f.organizations.create(env.id(), named("a_b Holdings", Optional.of("ext_x_y")));
            f.organizations.create(env.id(), named("axb Holdings", Optional.of("extAxBy")));
            Organization bang = f.organizations.create(env.id(), named("Wow! Inc", Optional.empty()));
            f.organizations.create(env.id(), named("Wow Inc", Optional.empty()));

            assertThat(f.organizations.search(env.id(), "0% P", PageRequest.first(10)).items()).containsExactly(percent);
            assertThat(f.organizations.search(env.id(), "%%%", PageRequest.first(10)).items()).isEmpty();
            assertThat(f.organizations.search(env.id(), "a_b", PageRequest.first(10)).items()).containsExactly(underscore);
            assertThat(f.organizations.search(env.id(), "t_x_", PageRequest.first(10)).items()).containsExactly(underscore);
            assertThat(f.organizations.search(env.id(), "___", PageRequest.first(10)).items()).isEmpty();
            assertThat(f.organizations.search(env.id(), "wow!", PageRequest.first(10)).items()).containsExactly(bang);
            assertThat(f.organizations.search(env.id(), "!!!", PageRequest.first(10)).items()).isEmpty();
        }
    }

    @EachDatabase
    void searchWhenMoreMatchesThanPageSizeThenPagesWithinMatchesOnly(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");
            List<Organization> matching = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                f.clock.advance(Duration.ofMillis(1));
                matching.add(f.organizations.create(env.id(), named("Match " + i, Optional.empty())));
                f.organizations.create(env.id(), named("Other " + i, Optional.empty()));
            }

            Page<Organization> first = f.organizations.search(env.id(), "match", PageRequest.first(5));
            Page<Organization> second = f.organizations.search(env.id(), "match", at(5, first.next()));
            Page<Organization> third = f.organizations.search(env.id(), "match", at(5, second.next()));
            Page<Organization> secondAgain = f.organizations.search(env.id(), "match", at(5, third.previous()));

            assertThat(ids(first)).isEqualTo(ids(matching.subList(0, 5)));
            assertThat(ids(second)).isEqualTo(ids(matching.subList(5, 10)));
            assertThat(ids(third)).isEqualTo(ids(matching.subList(10, 12)));
            assertThat(third.next()).isEmpty();
            assertThat(List.of(first.totalSize(), second.totalSize(), third.totalSize())).containsOnly(12L);
            assertThat(secondAgain.items()).isEqualTo(second.items());
        }
    }

    @EachDatabase
    void searchWhenQueryTooShortOrTooLongThenInvalidArgument(String kind) {
        try (StoreFixture f = StoreFixture.open(kind)) {
            Environment env = f.environment("alpha");

            for (String query : java.util.Arrays.asList(null, "", "ab", "  ab  ", "q".repeat(101))) {
                assertThatThrownBy(() -> f.organizations.search(env.id(), query, PageRequest.first(10)))
                        .as("query %s", query)
                        .isInstanceOfSatisfying(DomainException.InvalidArgument.class, e -> assertThat(e.violations())
                                .extracting(FieldViolation::field).containsExactly("query"));
            }
            assertThat(f.organizations.search(env.id(), "q".repeat(100), PageRequest.first(10)).items()).isEmpty();
            assertThat(f.organizations.search(env.id(), "abc", PageRequest.first(10)).items()).isEmpty();
        }
    }
}
