package io.sendpath;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.sendpath.nic.archfixture.NicReachingUp;
import io.sendpath.protocol.archfixture.ProtocolReachingUp;
import io.sendpath.tcp.archfixture.CleanCore;
import io.sendpath.tcp.archfixture.CoreReachingUp;
import io.sendpath.tcp.archfixture.CoreReadingWallClock;
import io.sendpath.tcp.archfixture.CoreUsingPekko;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering protocol ← nic ← actors ← launcher, checked by package over the production
 * classes of every module (the launcher's test class path holds them all), and the two promises
 * of a pure core: no Pekko, no wall clock. Each rule refuses to pass vacuously
 * (allowEmptyShould(false)) and is shown to fire on a fixture that breaks it.
 */
class ArchitectureTest {

  static final String PROTOCOL = "io.sendpath.protocol..";
  static final String SIM = "io.sendpath.sim..";
  static final String NIC = "io.sendpath.nic..";
  static final String ACTORS = "io.sendpath.actors..";
  static final String TCP = "io.sendpath.tcp..";
  static final String IP = "io.sendpath.ip..";
  static final String NEIGH = "io.sendpath.neigh..";
  static final String QDISC = "io.sendpath.qdisc..";
  static final String PEER = "io.sendpath.peer..";
  static final String LAUNCHER = "io.sendpath.launcher..";

  /** Packages of the actors module: the shells, the pure cores above the NIC, the far end. */
  static final String FAULT = "io.sendpath.fault..";
  static final String[] ACTORS_MODULE = {ACTORS, TCP, IP, NEIGH, QDISC, PEER, FAULT};
  /** Pure cores: plain Java, time as a parameter. */
  static final String[] CORES = {TCP, IP, NEIGH, QDISC, FAULT, "io.sendpath.peer.core..", "io.sendpath.nic.core.."};

  static final ArchRule PROTOCOL_DEPENDS_ON_NO_LAYER = noClasses()
      .that().resideInAnyPackage(PROTOCOL, SIM)
      .should().dependOnClassesThat().resideInAnyPackage(NIC, ACTORS, TCP, IP, NEIGH, QDISC, PEER, LAUNCHER)
      .because("protocol is the language every layer speaks; it knows none of them")
      .allowEmptyShould(false);

  static final ArchRule NIC_DEPENDS_ONLY_ON_PROTOCOL = noClasses()
      .that().resideInAPackage(NIC)
      .should().dependOnClassesThat().resideInAnyPackage(ACTORS, TCP, IP, NEIGH, QDISC, PEER, LAUNCHER)
      .because("dependencies point one way: protocol ← nic ← actors ← launcher")
      .allowEmptyShould(false);

  static final ArchRule ACTORS_DO_NOT_DEPEND_ON_LAUNCHER = noClasses()
      .that().resideInAnyPackage(ACTORS_MODULE)
      .should().dependOnClassesThat().resideInAPackage(LAUNCHER)
      .because("dependencies point one way: protocol ← nic ← actors ← launcher")
      .allowEmptyShould(false);

  static final ArchRule CORES_IMPORT_NO_PEKKO = noClasses()
      .that().resideInAnyPackage(CORES)
      .should().dependOnClassesThat().resideInAPackage("org.apache.pekko..")
      .because("a pure core is plain Java; its actor is the only thing that knows Pekko")
      .allowEmptyShould(false);

  /** System.currentTimeMillis, System.nanoTime, Thread.sleep, Instant.now: called or referenced. */
  static final DescribedPredicate<JavaAccess<?>> WALL_CLOCK =
      new DescribedPredicate<>("System.currentTimeMillis, System.nanoTime, Thread.sleep or Instant.now") {
        @Override
        public boolean test(JavaAccess<?> access) {
          String owner = access.getTargetOwner().getFullName();
          String name = access.getName();
          return owner.equals("java.lang.System") && (name.equals("currentTimeMillis") || name.equals("nanoTime"))
              || owner.equals("java.lang.Thread") && name.equals("sleep")
              || owner.equals("java.time.Instant") && name.equals("now");
        }
      };

  static final ArchRule CORES_READ_NO_WALL_CLOCK = noClasses()
      .that().resideInAnyPackage(CORES)
      .should().accessTargetWhere(WALL_CLOCK)
      .because("a core takes `long now` in virtual nanoseconds; runs must replay exactly")
      .allowEmptyShould(false);

  /** Production classes of every module, tests (and so the fixtures below) excluded. */
  static JavaClasses production;

  @BeforeAll
  static void importEveryModule() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.sendpath");
  }

  /** Whether any production class lives in packages: a module still being written may have none. */
  private static boolean present(String... packages) {
    for (JavaClass c : production) {
      for (String p : packages) {
        String root = p.substring(0, p.length() - 2);
        if (c.getPackageName().equals(root) || c.getPackageName().startsWith(root + ".")) return true;
      }
    }
    return false;
  }

  @Test
  void import_seesEveryModuleOnTheClassPath_andNoTestClasses() {
    assertThat(production.contain("io.sendpath.protocol.SkBuff")).as("protocol module").isTrue();
    assertThat(production.contain("io.sendpath.sim.VirtualClock")).as("protocol module, sim").isTrue();
    assertThat(production.contain("io.sendpath.actors.run.Simulation")).as("actors module").isTrue();
    assertThat(production.contain("io.sendpath.launcher.Main")).as("launcher module").isTrue();
    assertThat(production.contain(CoreUsingPekko.class.getName())).as("test fixtures are not production").isFalse();
  }

  @Test
  void protocol_dependsOnNoLayer() {
    PROTOCOL_DEPENDS_ON_NO_LAYER.check(production);
  }

  @Test
  void nic_dependsOnlyOnProtocol() {
    assumeTrue(present(NIC), "no io.sendpath.nic classes on this branch yet");
    NIC_DEPENDS_ONLY_ON_PROTOCOL.check(production);
  }

  @Test
  void actorsModule_doesNotDependOnLauncher() {
    ACTORS_DO_NOT_DEPEND_ON_LAUNCHER.check(production);
  }

  @Test
  void cores_importNoPekko() {
    assumeTrue(present(CORES), "no pure-core classes on this branch yet");
    CORES_IMPORT_NO_PEKKO.check(production);
  }

  @Test
  void cores_readNoWallClock() {
    assumeTrue(present(CORES), "no pure-core classes on this branch yet");
    CORES_READ_NO_WALL_CLOCK.check(production);
  }

  // ---------------------------------------------------------------------------------------------
  // the rules fire: each is evaluated on fixtures (test classes) that break it, and on one that doesn't

  private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(
      ProtocolReachingUp.class, NicReachingUp.class, CoreReachingUp.class, CoreUsingPekko.class,
      CoreReadingWallClock.class, CleanCore.class);

  private static Set<String> offenders(ArchRule rule) {
    EvaluationResult result = rule.evaluate(FIXTURES);
    assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (String line : result.getFailureReport().getDetails()) {
      for (Class<?> c : new Class<?>[] {ProtocolReachingUp.class, NicReachingUp.class, CoreReachingUp.class,
          CoreUsingPekko.class, CoreReadingWallClock.class, CleanCore.class}) {
        if (line.contains("<" + c.getName())) names.add(c.getSimpleName());
      }
    }
    return names;
  }

  @Test
  void layeringRules_fireOnFixturesThatReachUp() {
    assertThat(offenders(PROTOCOL_DEPENDS_ON_NO_LAYER)).containsExactly("ProtocolReachingUp");
    assertThat(offenders(NIC_DEPENDS_ONLY_ON_PROTOCOL)).containsExactly("NicReachingUp");
    assertThat(offenders(ACTORS_DO_NOT_DEPEND_ON_LAUNCHER)).containsExactly("CoreReachingUp");
  }

  @Test
  void pekkoRule_firesOnACoreImportingPekko() {
    assertThat(offenders(CORES_IMPORT_NO_PEKKO)).containsExactly("CoreUsingPekko");
  }

  @Test
  void wallClockRule_firesOnEveryWayOfReadingIt() {
    assertThat(offenders(CORES_READ_NO_WALL_CLOCK)).containsExactly("CoreReadingWallClock");
    EvaluationResult result = CORES_READ_NO_WALL_CLOCK.evaluate(FIXTURES);
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertThat(report).contains("currentTimeMillis").contains("sleep").contains("Instant.now");
    assertThat(result.getFailureReport().getDetails())
        .filteredOn(line -> line.contains("nanoTime")).as("a call and a method reference").hasSize(2);
  }

  @Test
  void rules_refuseToPassOnNothing() {
    JavaClasses nothing = new ClassFileImporter().importClasses(String.class);
    for (ArchRule rule : new ArchRule[] {PROTOCOL_DEPENDS_ON_NO_LAYER, NIC_DEPENDS_ONLY_ON_PROTOCOL,
        ACTORS_DO_NOT_DEPEND_ON_LAUNCHER, CORES_IMPORT_NO_PEKKO, CORES_READ_NO_WALL_CLOCK}) {
      assertThatThrownBy(() -> rule.check(nothing)).as(rule.getDescription())
          .isInstanceOf(AssertionError.class).hasMessageContaining("failed to check any classes");
    }
  }
}
