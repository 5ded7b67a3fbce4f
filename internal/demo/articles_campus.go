package demo

import (
	"slices"

	"campusnews/internal/news"
)

// demoArticles are the made-up articles of the demo site, section by section.
var demoArticles = slices.Concat(newsEventsArticles, researchArticles, campusLifeArticles, admissionsArticles, aboutArticles)

// campusLifeArticles are the demo's Students, Alumni and Sports.
var campusLifeArticles = []demoArticle{
	{
		Category: "campus-life/students",
		Title:    "Student Volunteers Log 30,000 Hours in the Community",
		Summary:  "From homework clubs to river clean-ups, more than 1,400 students volunteered with local groups this year.",
		Source:   "Students' Union", Author: "Jasmine Clarke", Photographer: "Samuel Boateng", Editor: "Helen Marsh",
		Tags: []string{"students", "community"}, Published: "2025-05-28 10:00",
		Body: `More than 1,400 Northbridge students gave 30,000 hours of their time to local charities, schools and community groups this academic year, the Students' Union announced at its annual volunteering awards.

The most popular projects were homework clubs in primary schools, a weekly clean-up of the river path and the Union's food bank, which now opens three days a week.

"Volunteering got me out of the campus bubble," said third-year law student Amira Yusuf, who won the Volunteer of the Year award. "I have learned as much at the homework club as in any seminar."

Students can sign up for projects at the Volunteering Fair in Welcome Week or at any time through the Union.`,
	},
	{
		Category: "campus-life/students",
		Title:    "Engineering Students Build an Electric Racing Car in Eight Months",
		Summary:  "Northbridge Racing's first electric car finished fourth overall in the international student competition at Silverbridge.",
		Source:   "School of Mechanical Engineering", Author: "Daniel Forsyth", Photographer: "Tomasz Wielgosz", Editor: "David Okoye",
		Tags: []string{"students", "engineering", "innovation"}, Published: "2019-07-15 09:00", Featured: true,
		Body: `A team of 45 students has designed and built Northbridge University's first electric racing car in just eight months, and finished fourth of 62 teams in an international student competition.

The car, named *Tern*, weighs 210 kilograms and accelerates from 0 to 100 km/h in under four seconds. Students from mechanical, electrical and software engineering worked on it in the evenings and at weekends, with help from technicians in the School's workshops.

## What the team learned

- how to design a battery pack that is both light and safe;
- how to write software that balances power between two motors;
- and, above all, how to work to a deadline that cannot move.

The team is now recruiting for next year's car. First-year students are welcome.`,
	},
	{
		Category: "campus-life/students",
		Title:    "New Peer Mentoring Scheme Pairs First-Years with Senior Students",
		Summary:  "Every new undergraduate can now be matched with a trained second- or third-year student from their own course.",
		Source:   "Student Services", Author: "Priya Raman", Editor: "Helen Marsh",
		Tags: []string{"students"}, Published: "2020-10-05 08:30",
		Body: `Starting this term, every first-year undergraduate can ask to be matched with a peer mentor: a second- or third-year student on the same course who has been trained to listen and to help.

Mentors meet their mentees online or on campus every two weeks during the first term, and can point them to the right service when they need more help. Last year's pilot in the Schools of Law and Chemistry showed that students with a mentor were more likely to stay on their course.

Students can sign up through the Student Services pages. Mentors are paid for their time.`,
	},
	{
		Category: "campus-life/alumni",
		Title:    "Alumni Weekend Brings 1,200 Graduates Back to Campus",
		Summary:  "Graduates from 1964 to 2023 returned for tours, talks and a reunion dinner in the Great Hall.",
		Source:   "Alumni Relations", Author: "Grace Achterberg", Photographer: "Yuki Tanabe", Editor: "David Okoye",
		Tags: []string{"alumni", "events", "community"}, Published: "2024-09-23 10:00",
		Body: `More than 1,200 graduates came back to Northbridge for Alumni Weekend, the largest reunion in the university's history.

Guests toured the new Centre for Coastal Engineering, heard current students talk about their research, and met old friends at a dinner in the Great Hall. The oldest returning graduate, Margaret Lowe, studied mathematics from 1961 to 1964.

Next year's Alumni Weekend will take place in September. Graduates who would like to organise a reunion for their year can contact Alumni Relations.`,
	},
	{
		Category: "campus-life/alumni",
		Title:    "From Chemistry Lab to Vaccine Factory: An Alumna's Story",
		Summary:  "Dr Nadia Petrova, who graduated in 2004, now runs a plant that makes 200 million vaccine doses a year.",
		Source:   "Alumni Relations", Author: "Elena Marchetti", Photographer: "Samuel Boateng", Editor: "Helen Marsh",
		Tags: []string{"alumni", "health"}, Published: "2021-12-08 09:00",
		Body: `When Nadia Petrova arrived at Northbridge in 2000 to study chemistry, she had never been inside a factory. Today she runs one of the largest vaccine plants in Europe, which made 200 million doses this year.

"My final-year project was about how proteins fold, and I thought I would stay in research," she says. "Then a placement at a pharmaceutical company showed me how much chemistry it takes to make a medicine for millions of people, safely, every single day."

She still visits the university every year to speak to students about careers in industry, and has funded a summer placement scheme for chemistry undergraduates.`,
	},
	{
		Category: "campus-life/alumni",
		Title:    "Class of 1976 Funds New Scholarship for First-Generation Students",
		Summary:  "Graduates of 1976 have raised £450,000 for students who are the first in their family to go to university.",
		Source:   "Development Office", Author: "Owen Pritchard", Photographer: "Tomasz Wielgosz", Editor: "David Okoye",
		Tags: []string{"alumni", "students", "admissions"}, Published: "2018-05-17 11:00",
		Body: `Graduates who finished their degrees at Northbridge in 1976 have raised £450,000 to fund a new scholarship for students who are the first in their family to go to university.

The Class of 1976 Scholarship will give ten students a year £3,000 for each year of their course, starting this autumn. Recipients will also be offered a mentor from the class.

"Many of us were the first in our families to study," said John Ashworth, who led the fundraising. "Northbridge changed our lives and we want to open the same door for others."

Details of how to apply are on the [undergraduate admissions pages](/admissions/undergraduate).`,
	},
	{
		Category: "campus-life/sports",
		Title:    "Women's Rowing Eight Win National University Championship",
		Summary:  "The crew beat the defending champions by half a length in a tense final on the Silverwater course.",
		Source:   "Northbridge Athletics", Author: "Liam O'Connor", Photographer: "Yuki Tanabe", Editor: "Helen Marsh",
		Tags: []string{"sports", "students", "awards"}, Published: "2025-04-14 18:00",
		Body: `Northbridge's women's first eight won the National University Rowing Championship on Sunday, beating the defending champions by half a length in the final.

The crew, coached by former international rower Sarah Brennan, led from the start but had to hold off a late push in the last 250 metres. It is the club's first national title since 1998.

"We train at six every morning in the dark and the cold," said captain Ella Fitzgerald, a fourth-year medical student. "Days like this make every one of those mornings worth it."`,
	},
	{
		Category: "campus-life/sports",
		Title:    "New Sports Centre Opens with 25-Metre Pool and Climbing Wall",
		Summary:  "The sports centre on the North Campus is open to students, staff and local residents from Monday.",
		Source:   "Northbridge Athletics", Author: "Liam O'Connor", Photographer: "Samuel Boateng", Editor: "David Okoye",
		Tags: []string{"sports", "health"}, Published: "2023-01-16 08:00",
		Body: `The new sports centre on the North Campus opens to students, staff and the public on Monday 16 January.

Facilities include:

- a 25-metre, eight-lane swimming pool with a moveable floor for teaching;
- a 15-metre climbing wall and a bouldering room;
- a sports hall for basketball, netball and badminton;
- a gym with 120 stations and a studio for classes.

Student membership is free for the first term. Local residents can join at a reduced rate, and schools can book the pool during the day.`,
	},
	{
		Category: "campus-life/sports",
		Title:    "Northbridge to Host Regional University Games in 2027",
		Summary:  "Around 3,000 athletes from 25 universities are expected on campus for four days of competition.",
		Source:   "Northbridge Athletics", Author: "Liam O'Connor", Editor: "Helen Marsh",
		Tags: []string{"sports", "events"}, Status: news.Draft, Created: "2026-11-24 10:20",
		Body: `Northbridge University will host the Regional University Games in May 2027, with around 3,000 athletes from 25 universities.

Events will take place at the new sports centre, the athletics track and the rowing lake.

Volunteers will be needed for every event; details to follow.`,
	},
}

// admissionsArticles are the demo's Undergraduate, Graduate and International Students.
var admissionsArticles = []demoArticle{
	{
		Category: "admissions/undergraduate",
		Title:    "Applications for 2027 Entry Are Now Open",
		Summary:  "Applications for undergraduate courses starting in September 2027 open today; the main deadline is 15 January.",
		Source:   "Admissions Office", Author: "Jasmine Clarke", Photographer: "Yuki Tanabe", Editor: "Helen Marsh",
		Tags: []string{"admissions"}, Published: "2026-09-07 09:00",
		Body: `Applications for undergraduate courses starting in September 2027 are now open. The deadline for most courses is **15 January 2027**; medicine and veterinary science close on 15 October 2026.

Northbridge offers more than 180 undergraduate courses, including new degrees in data science and in environmental engineering. Many courses include a year in industry or a year abroad.

## Before you apply

1. Check the entry requirements for your course.
2. Come to an open day or take the virtual tour.
3. Ask your teachers for a reference in good time.

Questions? The Admissions Office answers phone calls and emails every weekday.`,
	},
	{
		Category: "admissions/undergraduate",
		Title:    "Five Things to Know Before You Apply for a Foundation Year",
		Summary:  "A foundation year can open a degree to students without the usual qualifications; here is what it involves.",
		Source:   "Admissions Office", Author: "Jasmine Clarke", Editor: "David Okoye",
		Tags: []string{"admissions", "students"}, Published: "2022-10-26 10:00",
		Body: `A foundation year is an extra year of study at the start of a degree, for students who have the ability but not the usual qualifications. At Northbridge, foundation years lead into 40 degrees in science, engineering, business and the humanities.

1. **It is part of your degree.** You apply for the four-year course, and move on to the first year when you pass.
2. **Classes are small.** Groups of around 20 students, with a personal tutor.
3. **Funding is the same.** Student loans cover the foundation year.
4. **You can change direction.** Many students discover a new subject during the year.
5. **You are a full student.** Halls, clubs and the Students' Union are open to you from day one.`,
	},
	{
		Category: "admissions/graduate",
		Title:    "Fully Funded PhD Studentships in Data Science and Climate",
		Summary:  "Twelve four-year studentships cover fees, a stipend and training, with applications closing on 31 January.",
		Source:   "Graduate School", Author: "Grace Achterberg", Editor: "David Okoye",
		Tags: []string{"admissions", "research"}, Published: "2025-12-01 09:00",
		Body: `The Graduate School invites applications for twelve fully funded PhD studentships in data science for climate and the environment, starting in October 2026.

Each studentship covers tuition fees and a tax-free stipend for four years, plus a budget for travel and equipment. Students spend the first six months on training in statistics, programming and climate science before choosing a project with their supervisors.

Projects range from forecasting floods with machine learning to measuring the carbon stored in salt marshes. Applicants need a good first degree in a quantitative subject; no background in climate science is required.

Applications close on 31 January 2026. Read more on the [Graduate School's pages](/admissions/graduate).`,
	},
	{
		Category: "admissions/graduate",
		Title:    "Graduate School Launches Part-Time Master's Programmes for Professionals",
		Summary:  "Six master's degrees can now be studied part-time over two years, with teaching on Friday evenings and Saturdays.",
		Source:   "Graduate School", Author: "Owen Pritchard", Photographer: "Samuel Boateng", Editor: "Helen Marsh",
		Tags: []string{"admissions", "innovation"}, Published: "2020-01-20 09:00",
		Body: `From September, six of Northbridge's master's programmes can be studied part-time over two years, with teaching on Friday evenings and Saturdays.

The programmes are in public health, business analytics, project management, education, software engineering and environmental management. Students study alongside full-time classmates and can use all university facilities.

Employers can sponsor staff, and the Graduate School offers a 10% discount to Northbridge alumni.`,
	},
	{
		Category: "admissions/international",
		Title:    "Welcome Week for International Students: What to Expect",
		Summary:  "Airport pick-ups, visa checks, a city tour and a welcome dinner help new international students settle in.",
		Source:   "International Office", Author: "Farid Nazari", Photographer: "Yuki Tanabe", Editor: "David Okoye",
		Tags: []string{"international", "students", "events"}, Published: "2024-08-26 09:00",
		Body: `More than 2,000 international students from 110 countries will start at Northbridge this September. Welcome Week, from **Monday 16 to Sunday 22 September**, is designed to help them settle in.

- Free pick-up from Northbridge International Airport on 14 and 15 September, booked in advance.
- Visa and registration checks in the Great Hall, with no appointment needed.
- A walking tour of the city and a trip to the coast on Saturday.
- A welcome dinner hosted by the President in the Students' Union.

The International Office is open every day of Welcome Week from 8 a.m. to 8 p.m.`,
	},
	{
		Category: "admissions/international",
		Title:    "Northbridge Global Scholarships Now Cover Full Tuition for 40 Students",
		Summary:  "The scholarship scheme for international undergraduates has doubled and now pays full tuition fees.",
		Source:   "International Office", Author: "Farid Nazari", Photographer: "Samuel Boateng", Editor: "Helen Marsh",
		Tags: []string{"international", "admissions", "awards"}, Published: "2019-02-11 10:00",
		Body: `The Northbridge Global Scholarships, for international students starting an undergraduate degree, will cover full tuition fees from this year, and the number of awards has doubled to 40.

Scholarships are awarded for academic excellence and for the difference applicants hope to make in their home communities. They are renewed each year as long as the student makes good progress.

Applicants must hold an offer of a place by 1 May. The application form asks for a personal statement of no more than 500 words.`,
	},
}

// aboutArticles are the demo's University Leadership and Media Relations.
var aboutArticles = []demoArticle{
	{
		Category: "about/leadership",
		Title:    "Professor Catherine Mwangi Appointed President of Northbridge University",
		Summary:  "The University Council has appointed Professor Catherine Mwangi, a public health researcher, as the university's eleventh President.",
		Source:   "Office of the President", Author: "Helen Marsh", Photographer: "Tomasz Wielgosz", Editor: "David Okoye",
		Tags: []string{"community"}, Published: "2021-06-02 12:00",
		Body: `The University Council has appointed Professor Catherine Mwangi as the eleventh President of Northbridge University. She will take up the post on 1 October.

Professor Mwangi is currently Provost of a university in the north of England and is known for her research on child health in growing cities. She studied medicine in Nairobi and public health in London.

"Northbridge is a university that belongs to its city and its region," she said. "I look forward to listening to students, staff and our neighbours before we decide together where to go next."

She succeeds Professor Richard Holm, who has led the university since 2011.`,
	},
	{
		Category: "about/leadership",
		Title:    "University Council Approves Ten-Year Strategy 'Northbridge 2035'",
		Summary:  "The strategy sets goals for teaching, research, the region and reaching net zero emissions by 2035.",
		Source:   "Office of the President", Author: "Helen Marsh", Editor: "David Okoye",
		Tags: []string{"community", "sustainability"}, Published: "2025-03-20 15:00",
		Body: `The University Council has approved Northbridge 2035, the university's strategy for the next ten years, after a year of consultation with students, staff, alumni and partners.

## Four commitments

1. **Teaching** that prepares every student for work and citizenship, with a placement or project with an outside partner in every degree.
2. **Research** that answers the questions facing coastal and industrial regions.
3. **The region**: more local students, more local jobs and more of the campus open to the public.
4. **Net zero** carbon emissions from the university's own buildings and travel by 2035.

Progress against each commitment will be reported every year. [Read the full strategy](/about/leadership).`,
	},
	{
		Category: "about/media-relations",
		Title:    "Statement on the Temporary Closure of the Chemistry Building",
		Summary:  "The Chemistry Building is closed while a minor chemical spill is cleaned up; no one was hurt.",
		Source:   "Office of Communications", Author: "Mark Feeney", Editor: "Helen Marsh",
		Tags: []string{"community", "health"}, Published: "2022-11-03 16:45",
		Body: `At around 2.30 p.m. today a small quantity of a cleaning chemical was spilled in a teaching laboratory in the Chemistry Building. The building was evacuated as a precaution and the fire service attended. No one was hurt.

The building will stay closed until tomorrow morning while specialist contractors complete the clean-up. Classes due to take place there this afternoon have been cancelled and will be rescheduled.

The university will review what happened with the staff involved. Journalists can contact the Office of Communications for further information.`,
	},
	{
		Category: "about/media-relations",
		Title:    "Northbridge Experts Available to Comment on Coastal Storms",
		Summary:  "Researchers in engineering, geography and public health can speak to the media about storms, flooding and recovery.",
		Source:   "Office of Communications", Author: "Mark Feeney", Editor: "David Okoye",
		Tags: []string{"research", "sustainability"}, Published: "2024-01-29 08:00",
		Body: `With further storms forecast this week, the following Northbridge researchers are available to speak to journalists:

- **Professor Idris Kamara**, coastal engineering: sea defences, wave overtopping, how coastlines change.
- **Dr Mei Lin Chua**, physical geography: storm surges, erosion and long-term sea-level rise.
- **Dr Kwame Mensah**, public health: the effects of flooding on health and on access to care.

To arrange an interview, contact the Office of Communications press desk, which is staffed from 8 a.m. to 8 p.m. every day during severe weather.`,
	},
}
