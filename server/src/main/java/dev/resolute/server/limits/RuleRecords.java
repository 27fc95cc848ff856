package dev.resolute.server.limits;

import dev.resolute.server.pb.RuleBatch;
import dev.resolute.server.pb.RuleDelete;
import dev.resolute.server.pb.RuleLimits;
import dev.resolute.server.pb.RuleUpsert;
import dev.resolute.server.pb.StoredRule;
import dev.resolute.server.pb.StoredRuleBook;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule model ↔ its log records ({@link RuleBatch}) and its stored form ({@link
 * StoredRuleBook}).
 */
public final class RuleRecords {
  private RuleRecords() {}

  public static RuleLimits toProto(Limits l) {
    RuleLimits.Builder b = RuleLimits.newBuilder();
    if (l.concurrency() != null) {
      b.setConcurrency(l.concurrency());
    }
    if (l.ratePerSecond() != null) {
      b.setRatePerSecond(l.ratePerSecond());
      if (l.burst() != null) {
        b.setBurst(l.burst());
      }
    }
    return b.build();
  }

  public static Limits fromProto(RuleLimits l) {
    return new Limits(
        l.getConcurrency() == 0 ? null : l.getConcurrency(),
        l.getRatePerSecond() > 0 ? l.getRatePerSecond() : null,
        l.getRatePerSecond() > 0 && l.getBurst() > 0 ? l.getBurst() : null);
  }

  public static RuleBatch upserts(List<RuleBook.Upsert> batch, long atMillis) {
    RuleBatch.Builder b = RuleBatch.newBuilder().setAtMillis(atMillis);
    for (RuleBook.Upsert u : batch) {
      RuleUpsert.Builder r =
          RuleUpsert.newBuilder()
              .setPattern(u.pattern().toString())
              .setLimits(toProto(u.limits()))
              .setDisabled(u.disabled());
      if (u.description() != null) {
        r.setHasDescription(true).setDescription(u.description());
      }
      if (u.precondition() instanceof RuleBook.Precondition.Matches m) {
        r.setPrecondition(RuleUpsert.Precondition.MATCHES).setVersion(m.version());
      } else if (u.precondition() instanceof RuleBook.Precondition.DoesNotExist) {
        r.setPrecondition(RuleUpsert.Precondition.DOES_NOT_EXIST);
      }
      b.addUpserts(r);
    }
    return b.build();
  }

  public static RuleBatch deletes(List<RuleBook.Delete> batch, long atMillis) {
    RuleBatch.Builder b = RuleBatch.newBuilder().setAtMillis(atMillis);
    for (RuleBook.Delete d : batch) {
      RuleDelete.Builder r = RuleDelete.newBuilder().setPattern(d.pattern().toString());
      if (d.expectedVersion() != null) {
        r.setHasExpectedVersion(true).setExpectedVersion(d.expectedVersion());
      }
      b.addDeletes(r);
    }
    return b.build();
  }

  public static List<RuleBook.Upsert> upsertsOf(RuleBatch batch) {
    List<RuleBook.Upsert> out = new ArrayList<>();
    for (RuleUpsert r : batch.getUpsertsList()) {
      RuleBook.Precondition p =
          switch (r.getPrecondition()) {
            case MATCHES -> new RuleBook.Precondition.Matches(r.getVersion());
            case DOES_NOT_EXIST -> new RuleBook.Precondition.DoesNotExist();
            default -> new RuleBook.Precondition.None();
          };
      out.add(
          new RuleBook.Upsert(
              RulePattern.parse(r.getPattern()),
              fromProto(r.getLimits()),
              r.getHasDescription() ? r.getDescription() : null,
              r.getDisabled(),
              p));
    }
    return out;
  }

  public static List<RuleBook.Delete> deletesOf(RuleBatch batch) {
    List<RuleBook.Delete> out = new ArrayList<>();
    for (RuleDelete d : batch.getDeletesList()) {
      out.add(
          new RuleBook.Delete(
              RulePattern.parse(d.getPattern()),
              d.getHasExpectedVersion() ? d.getExpectedVersion() : null));
    }
    return out;
  }

  public static StoredRuleBook toProto(RuleBook book) {
    StoredRuleBook.Builder b = StoredRuleBook.newBuilder().setVersion(book.version());
    for (Rule r : book.rules()) {
      StoredRule.Builder s =
          StoredRule.newBuilder()
              .setPattern(r.pattern().toString())
              .setLimits(toProto(r.limits()))
              .setDisabled(r.disabled())
              .setVersion(r.version())
              .setLastModifiedMillis(r.lastModifiedMillis());
      if (r.description() != null) {
        s.setHasDescription(true).setDescription(r.description());
      }
      b.addRules(s);
    }
    return b.build();
  }

  public static RuleBook fromProto(StoredRuleBook stored) {
    List<Rule> rules = new ArrayList<>();
    for (StoredRule s : stored.getRulesList()) {
      rules.add(
          new Rule(
              RulePattern.parse(s.getPattern()),
              fromProto(s.getLimits()),
              s.getHasDescription() ? s.getDescription() : null,
              s.getDisabled(),
              s.getVersion(),
              s.getLastModifiedMillis()));
    }
    return RuleBook.of(rules, stored.getVersion());
  }
}
