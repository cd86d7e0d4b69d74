"""Class: a teacher starts a class and watches everyone's runs on one board; a student joins
with a code and a name. No accounts: the teacher's private link is the key to the board."""
import streamlit as st

from studio.frame import shell
from studio.sections import class_section, class_session
from studio.session import classroom
from studio.session.i18n import t

shell.page_setup()
st.title(t("Class"))
code = class_session.claim_links()   # ?join= and ?teach=, checked, then out of the URL

teacher, member = class_session.teacher(), class_session.member()
if teacher is not None:
    found = classroom.load(teacher["code"])
    if found is None:
        class_session.forget_teacher()
        st.info(t("Your class has ended."), icon=":material/event_busy:")
        st.stop()
    class_session.keep_teacher_cookie(found)
    class_section.board_header(found)
    class_section.board(found, teacher)
    st.divider()
    lesson, settings = st.columns(2, gap="large")
    with lesson:
        st.subheader(t("Everyone open this"))
        class_section.lesson_form(found, teacher)
    with settings:
        st.subheader(t("This class"))
        class_section.manage(found, teacher)
elif member is not None:
    class_section.student_panel(member)
else:
    st.caption(t("A class shares one board: students train on their own screens, the "
                 "teacher sees everyone's runs together and sends everyone to a page."))
    if code is not None:   # a join link: a student, on a phone as often as not
        class_section.join_form()
        with st.expander(t("Are you the teacher? Start a class")):
            class_section.start_form()
    else:
        join, start = st.columns(2, gap="large")
        with join:
            class_section.join_form()
        with start:
            class_section.start_form()
