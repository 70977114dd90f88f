"""What a form on a page must give its user, whoever draws it: a label for every input, a
mark on the required ones, and each error and help text tied to its input."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

FUTURE = "2999-01-01"


class Elements(HTMLParser):
    """The page's elements with an id, its inputs, and the text of each label and legend."""

    def __init__(self, html):
        super().__init__()
        self.by_id, self.inputs, self.labels, self.texts = {}, [], {}, {}
        self.open = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        element = {"tag": tag, **attrs}
        if "id" in attrs:
            self.by_id[attrs["id"]] = element
            self.texts[attrs["id"]] = ""
        if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.inputs.append(element)
        if tag == "label" and "for" in attrs:
            self.labels[attrs["for"]] = ""
        if tag not in ("input", "br", "img", "meta", "link"):
            self.open.append(element)

    def handle_endtag(self, tag):
        if self.open and self.open[-1]["tag"] == tag:
            self.open.pop()

    def handle_data(self, data):
        for element in self.open:
            if "id" in element:
                self.texts[element["id"]] += data
            if element["tag"] == "label" and "for" in element:
                self.labels[element["for"]] += data

    def form_inputs(self, prefix):
        return [e for e in self.inputs if e.get("id", "").startswith(prefix)]

    def described(self, element):
        return " ".join(self.texts[i] for i in element.get("aria-describedby", "").split())


def page(client, man):
    return Elements(client.get(reverse("participants:detail", args=[man.pk])).content.decode())


@pytest.mark.usefixtures("english")
def test_every_input_of_a_mans_forms_has_its_label(cast, login_as):
    client = login_as(cast.coordinator)
    factories.GroupFactory(site=cast.site_a, name="Jueves A", programme=cast.group_a.programme)
    enrolled = page(client, cast.man_a)
    newcomer = page(client, factories.ParticipantFactory(site=cast.site_a))
    for elements, prefix in [
        (enrolled, "close_"),
        (enrolled, "transfer_"),
        (newcomer, "intake_"),
        (newcomer, "enrol_"),
    ]:
        inputs = elements.form_inputs(prefix)
        assert inputs, prefix
        for element in inputs:
            assert elements.labels.get(element["id"], "").strip(), element["id"]
    assert enrolled.labels["transfer_date"].split() == ["Transfer", "date*"]
    assert enrolled.labels["transfer_reason"].split() == ["Reason"]
    assert "Jueves A" in enrolled.texts["transfer_to_group"]
    # The outcome is a set of radio buttons: the question is the fieldset's legend.
    assert enrolled.labels["close_exit_status_0"].split() == ["Completed"]


@pytest.mark.usefixtures("english")
def test_help_text_is_tied_to_its_input(cast, login_as):
    elements = page(login_as(cast.coordinator), cast.man_a)
    reason = elements.by_id["close_reason"]
    assert elements.described(reason).startswith("Required to terminate")


@pytest.mark.usefixtures("english")
def test_a_refused_form_comes_back_with_its_errors_tied_to_its_inputs_and_escaped(cast, login_as):
    enrolment = cast.man_a.enrolments.get()
    response = login_as(cast.coordinator).post(
        reverse("participants:enrolment_close", args=[cast.man_a.pk, enrolment.pk]),
        {"exit_status": "terminated", "end_date": FUTURE, "reason": "<b>"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    elements = Elements(html)
    end_date = elements.by_id["close_end_date"]
    assert (end_date["aria-invalid"], end_date["value"]) == ("true", FUTURE)
    assert elements.described(end_date).strip() == "The date cannot be in the future."
    assert "&lt;b&gt;</textarea>" in html and "<b></textarea>" not in html


@pytest.mark.usefixtures("english")
def test_every_report_filter_has_its_label_and_a_bad_one_says_so(cast, login_as):
    response = login_as(cast.coordinator).get(reverse("reports:dashboard"), {"date_from": "nope"})
    elements = Elements(response.content.decode())
    inputs = [e for e in elements.inputs if e.get("name") in {"site", "programme", "group"}]
    inputs += [e for e in elements.inputs if e.get("name") in {"date_from", "date_to"}]
    assert len(inputs) == 5
    for element in inputs:
        assert elements.labels.get(element["id"], "").strip(), element["name"]
    date_from = elements.by_id["id_date_from"]
    assert date_from["aria-invalid"] == "true"
    assert elements.described(date_from).strip() == "Enter a valid date."
