package org.conversationarchive.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemTests {

	@Test
	void aBadFilterValueIsNamedAsThePanelNamesItWithWhatToDo() {
		Problem problem = Problem.invalid("parameter env: unknown environment 'prod'; one of production, test");
		assertThat(problem.status()).isEqualTo(400);
		assertThat(problem.title()).isEqualTo("The Used For filter cannot be used as it is");
		assertThat(problem.detail()).isEqualTo("Used For: unknown environment 'prod'; one of production, test");
		assertThat(problem.advice()).contains("switch the Used For filter off");
	}

	@Test
	void aSettingOfThePageIsNotCalledAFilter() {
		Problem problem = Problem.invalid("parameter cursor: not a cursor of this search");
		assertThat(problem.title()).doesNotContain("filter");
		assertThat(problem.detail()).isEqualTo("Page link: not a cursor of this search");
		assertThat(problem.advice()).contains("first page");
	}

	@Test
	void aSettingOfTheDashboardSaysWhereToChooseAnother() {
		Problem problem = Problem.invalid("parameter tz: 'Mars/Olympus' is not a time zone (e.g. Europe/Paris)");
		assertThat(problem.title()).doesNotContain("filter");
		assertThat(problem.detail()).startsWith("Time zone: 'Mars/Olympus'");
		assertThat(problem.advice()).contains("time zone above the charts");
	}

	@Test
	void anUnknownParameterSaysSo() {
		Problem problem = Problem.invalid("unknown parameter 'stauts'");
		assertThat(problem.title()).contains("does not know");
		assertThat(problem.detail()).contains("stauts");
	}

	@Test
	void otherProblemsKeepTheirDetailAndSayWhatToDo() {
		Problem problem = Problem.invalid("a tag filter needs a key");
		assertThat(problem.detail()).isEqualTo("a tag filter needs a key");
		assertThat(problem.advice()).isNotBlank();
		assertThat(Problem.notFound("no view 'x'").advice()).isNotBlank();
		assertThat(Problem.forbidden("the viewer role may not export").title()).contains("role");
	}

}
