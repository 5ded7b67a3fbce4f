package demo

import "campusnews/internal/news"

// newsEventsArticles are the demo's News, Events and Notices.
var newsEventsArticles = []demoArticle{
	{
		Category: "news-events/news",
		Title:    "Northbridge Opens New Centre for Coastal Engineering",
		Summary:  "A £38 million centre with a 60-metre wave flume gives engineers and climate scientists a place to test how coastlines will cope with rising seas.",
		Source:   "School of Civil and Coastal Engineering", Author: "Rachel Dunmore", Photographer: "Tomasz Wielgosz", Editor: "Helen Marsh",
		Tags: []string{"engineering", "sustainability", "research"}, Published: "2025-10-14 10:00", Featured: true,
		Body: `The Centre for Coastal Engineering opened on the Riverside Campus this week, bringing researchers from engineering, earth sciences and geography together under one roof for the first time.

At the heart of the building is a 60-metre wave flume that can reproduce storm waves at a scale of one to ten. Next to it, a tidal basin lets teams study how sand, shingle and salt marsh respond to decades of wave action in a few weeks of experiments.

## Built with partners

The centre was funded by the university together with the regional water authority and three engineering firms, which will use the facilities for their own testing and offer placements to students.

"Coastal towns need answers now, not in twenty years," said Professor Idris Kamara, the centre's first director. "Here we can test a sea wall, a dune or a new breakwater before anyone pours concrete."

Undergraduate students on the civil engineering programme will use the flume from next term. Find out more about [studying engineering at Northbridge](/admissions/undergraduate).`,
	},
	{
		Category: "news-events/news",
		Title:    "University Library Extends Opening Hours During Examination Period",
		Summary:  "The Main Library and the Science Library will stay open until 2 a.m. from 29 April to 7 June.",
		Source:   "University Library", Author: "Owen Pritchard", Editor: "Helen Marsh",
		Tags: []string{"library", "students"}, Published: "2024-04-22 08:30",
		Body: `To support students preparing for examinations, the Main Library and the Science Library will extend their opening hours from Monday 29 April to Friday 7 June.

- Main Library: 7 a.m. to 2 a.m., seven days a week
- Science Library: 8 a.m. to 2 a.m., Monday to Friday, and 9 a.m. to midnight at weekends
- Law Library: usual hours, with extra group study rooms bookable online

Library staff will run short drop-in sessions on finding sources and managing references every weekday at 1 p.m. in the Main Library training room.

Students are reminded that a valid university card is needed to enter either building after 10 p.m.`,
	},
	{
		Category: "news-events/news",
		Title:    "Northbridge Signs Partnership Agreements with Universities in Kenya and Ghana",
		Summary:  "The agreements create joint research projects in water and public health and a two-way exchange for 60 students a year.",
		Source:   "International Office", Author: "Grace Achterberg", Photographer: "Samuel Boateng", Editor: "David Okoye",
		Tags: []string{"international", "research"}, Published: "2023-03-09 11:00",
		Body: `Northbridge University has signed partnership agreements with two universities in East and West Africa, covering joint research, staff visits and student exchange.

The first projects will look at safe drinking water in fast-growing towns and at training community health workers. Each will be led jointly by academics from Northbridge and from the partner university, and funded for five years.

From next September up to 60 students a year will spend a semester at a partner university, with the same number coming to Northbridge. Credits earned abroad will count towards their degrees at home.

"Real partnership means that the questions are set together and the results belong to both sides," said the Vice-President for International Affairs, Dr Leila Haddad, at the signing ceremony.`,
	},
	{
		Category: "news-events/news",
		Title:    "Solar Canopy on the Main Car Park Now Supplies a Fifth of Campus Electricity",
		Summary:  "In its first year the 4.2 megawatt canopy produced more electricity than the university's six halls of residence use.",
		Source:   "Estates and Facilities", Author: "Martin Hale", Photographer: "Yuki Tanabe", Editor: "Helen Marsh",
		Tags: []string{"sustainability", "innovation"}, Published: "2022-06-30 09:15",
		Body: `A year after it was switched on, the solar canopy over the main car park on the North Campus has generated 3.9 gigawatt hours of electricity, around a fifth of the university's annual use.

The canopy, made of 9,600 panels, also shades 700 parking spaces and has 80 charging points for electric cars and bicycles. Sensors fitted by researchers in the Department of Electrical Engineering record output every minute, and the data are used in teaching.

## Next steps

The university plans a second canopy over the sports centre car park and a battery store that will let the campus use solar power after dark. Both are part of the plan to reach net zero emissions by 2035.`,
	},
	{
		Category: "news-events/news",
		Title:    "New Student Health Centre Welcomes Its First Patients",
		Summary:  "GP appointments, counselling and a pharmacy are now under one roof next to the Students' Union.",
		Source:   "Student Health Service", Author: "Priya Raman", Photographer: "Tomasz Wielgosz", Editor: "David Okoye",
		Tags: []string{"health", "students"}, Published: "2020-09-21 08:00",
		Body: `The Student Health Centre on Union Square opened its doors on Monday, replacing the clinic in the basement of Hartley House.

The new centre brings doctors, nurses, counsellors and a pharmacy into one building, with longer opening hours and same-day appointments for urgent problems. Students can register online before they arrive in Northbridge.

Because of current public health guidance, patients are asked to book by phone or online rather than walking in, and to wear a face covering inside the building.`,
	},
	{
		Category: "news-events/news",
		Title:    "Campus Master Plan Consultation: What We Heard",
		Summary:  "More than 2,300 students, staff and neighbours told us how the campus should change over the next fifteen years.",
		Source:   "Estates and Facilities", Author: "Martin Hale", Editor: "Helen Marsh",
		Tags: []string{"community", "sustainability"}, Status: news.Draft, Created: "2026-11-18 15:40",
		Body: `Over eight weeks this autumn more than 2,300 people took part in the consultation on the campus master plan, online and at drop-in sessions in the Great Hall.

The strongest messages were about green space, safe cycling routes and more places to study outside the library.

[Draft: add the summary charts from the consultation report before publishing.]`,
	},
	{
		Category: "news-events/events",
		Title:    "Open Day 2026: Explore Northbridge on Saturday 17 October",
		Summary:  "Meet lecturers and students, tour the halls and labs, and get advice on applying at the autumn open day.",
		Source:   "Admissions Office", Author: "Jasmine Clarke", Photographer: "Samuel Boateng", Editor: "Helen Marsh",
		Tags: []string{"events", "admissions"}, Published: "2026-09-01 09:00", Pinned: true,
		Body: `Northbridge University's autumn open day takes place on **Saturday 17 October 2026, from 9.30 a.m. to 4 p.m.**, on the Main Campus.

Registration and information stands are in the Great Hall, Cathedral Road. From there, every school runs talks and laboratory tours, and student guides lead walks to the halls of residence every half hour.

## Programme

- 10.00 Welcome talk by the President, Great Hall
- 10.30 to 15.30 Subject talks in the Science Quarter and the Humanities Building
- 11.00 and 14.00 Applying to university and student finance, Harrington Lecture Theatre
- All day: accommodation tours, sports centre open house, library tours

Places are free but must be booked. [Book your place and see the full programme](/admissions/undergraduate). Free shuttle buses run from Northbridge Central station every fifteen minutes.`,
	},
	{
		Category: "news-events/events",
		Title:    "Public Lecture: The Chemistry of Clean Water",
		Summary:  "Professor Amara Osei explains how new membranes could bring safe drinking water to millions, in a free lecture on 26 February.",
		Source:   "School of Chemical Engineering", Author: "Daniel Forsyth", Photographer: "Yuki Tanabe", Editor: "David Okoye",
		Tags: []string{"events", "research", "sustainability"}, Published: "2025-02-03 10:00",
		Body: `The School of Chemical Engineering's spring public lecture will be given by Professor Amara Osei on **Wednesday 26 February 2025 at 6 p.m.** in the Harrington Lecture Theatre, Science Quarter.

Professor Osei's group designs membranes that remove salt, metals and bacteria from water using far less energy than today's filters. In the lecture she will show how a few nanometres of material can decide whether a village has safe water, and what it takes to move an invention from the laboratory into the field.

The lecture is free and open to everyone, and no chemistry is needed to enjoy it. Doors open at 5.30 p.m., with refreshments in the foyer afterwards. The lecture will also be streamed live and recorded.`,
	},
	{
		Category: "news-events/events",
		Title:    "Northbridge Science Festival Returns to the City Centre",
		Summary:  "Three days of experiments, talks and shows for all ages take over Market Square and the City Museum from 8 to 10 June.",
		Source:   "Office of Public Engagement", Author: "Rachel Dunmore", Photographer: "Tomasz Wielgosz", Editor: "Helen Marsh",
		Tags: []string{"events", "community", "research"}, Published: "2019-05-13 09:00",
		Body: `The Northbridge Science Festival returns from **Saturday 8 to Monday 10 June 2019**, with more than 90 free events in Market Square, the City Museum and the Central Library.

Researchers from every faculty will be on hand: build a bridge from spaghetti with the engineers, look at pond life under the microscope with the biologists, or find out how a smartphone knows where it is. In the evenings, the City Museum hosts talks for adults on sleep, robots and the history of medicine.

Most events need no booking. Evening talks can be booked through the festival website from 20 May.`,
	},
	{
		Category: "news-events/events",
		Title:    "Spring Concert by the University Symphony Orchestra",
		Summary:  "Students and staff perform Dvořák and a new work by a Northbridge composer on 24 April, in the hall and online.",
		Source:   "Department of Music", Author: "Elena Marchetti", Editor: "David Okoye",
		Tags: []string{"events", "arts"}, Published: "2021-03-15 12:00",
		Body: `The University Symphony Orchestra will give its spring concert on **Saturday 24 April 2021 at 7.30 p.m.** in the Aldridge Concert Hall.

The programme opens with the first performance of *Tidewater*, written by PhD composer Lewis Achebe, followed by Dvořák's Symphony No. 8, conducted by Dr Hannah Vale.

Because of distancing rules the hall will seat 120 people, with tickets allocated by ballot to students and staff. Everyone else can watch the concert streamed live on the Department of Music's channel.`,
	},
	{
		Category: "news-events/notices",
		Title:    "New Visitor Parking Arrangements on North Campus",
		Summary:  "From 1 September visitors park in the Solar Car Park and pay by app or at the machines; staff permits are unchanged.",
		Source:   "Estates and Facilities", Author: "Martin Hale", Editor: "Helen Marsh",
		Tags: []string{"community"}, Published: "2026-08-03 08:00", Expires: "2030-08-31 23:59", Pinned: true,
		Body: `From **1 September 2026** all visitor parking on the North Campus moves to the Solar Car Park, entered from Ferry Lane.

- Visitors pay by app or at the machines at the car park entrances.
- Blue Badge holders park free in the marked bays beside each building.
- Staff and student permits are unchanged.

Hosts of events with more than 50 guests should book spaces with Estates and Facilities at least two weeks ahead.`,
	},
	{
		Category: "news-events/notices",
		Title:    "Student Records System: Regular Maintenance Window on Sundays",
		Summary:  "The student records system and the online timetable may be unavailable on Sunday mornings between 6 and 9 a.m.",
		Source:   "IT Services", Author: "Farid Nazari", Editor: "David Okoye",
		Tags: []string{"students"}, Published: "2026-02-02 07:30", Expires: "2030-12-31 23:59",
		Body: `To keep the student records system secure and up to date, IT Services now carries out planned maintenance every Sunday between 6 a.m. and 9 a.m.

During this window the records system, the online timetable and the module registration pages may be unavailable. Email, the learning platform and library services are not affected.

Major upgrades will be announced at least two weeks in advance. Report problems outside the window to the IT Service Desk.`,
	},
	{
		Category: "news-events/notices",
		Title:    "Reporting Building Faults: New Online Form",
		Summary:  "Faults in teaching rooms, offices and halls are now reported through a single online form that tracks each repair.",
		Source:   "Estates and Facilities", Author: "Martin Hale", Editor: "Helen Marsh",
		Tags: []string{"community"}, Published: "2025-11-17 09:00", Expires: "2030-06-30 23:59",
		Body: `Broken lights, leaking taps and faulty heating can now be reported through one online form, which replaces the separate email addresses for each campus.

Each report gets a reference number, and the form shows when a repair has been scheduled and completed. Urgent problems that affect safety, such as flooding or a power failure, should still be reported by phone to the Security Lodge, which is staffed day and night.`,
	},
	{
		Category: "news-events/notices",
		Title:    "Main Library Closed on 2 January for Stocktaking",
		Summary:  "The Main Library will be closed all day on Tuesday 2 January; the Science Library opens as usual.",
		Source:   "University Library", Author: "Owen Pritchard", Editor: "Helen Marsh",
		Tags: []string{"library"}, Status: news.Expired, Published: "2023-12-18 08:00", Expires: "2024-01-03 00:00",
		Body: `The Main Library will be closed on **Tuesday 2 January 2024** while staff carry out the annual stocktake.

The Science Library will open as usual from 9 a.m. to 5 p.m., and online resources remain available. Books due back on 2 January can be returned the following day without a fine.`,
	},
}

// researchArticles are the demo's Research News and Awards & Grants.
var researchArticles = []demoArticle{
	{
		Category: "research/research-news",
		Title:    "Chemists Develop a Cheaper Catalyst for Green Hydrogen",
		Summary:  "A nickel and iron catalyst made at Northbridge splits water almost as well as platinum at a fraction of the cost.",
		Source:   "School of Chemical Engineering", Author: "Daniel Forsyth", Photographer: "Yuki Tanabe", Editor: "David Okoye",
		Tags: []string{"research", "sustainability", "engineering"}, Published: "2024-11-05 10:00", Featured: true,
		Body: `Chemists at Northbridge University have developed a catalyst made from nickel and iron that splits water into hydrogen and oxygen almost as efficiently as platinum, one of the rarest and most expensive metals.

Hydrogen made with renewable electricity could replace fossil fuels in steelmaking, shipping and fertiliser production, but the catalysts used in today's electrolysers account for a large share of their cost.

## How it works

The team, led by Dr Sofia Lindqvist, grew the catalyst as a sponge-like layer only a few atoms thick, which exposes far more active sites than a flat metal surface. In laboratory tests it ran for 1,000 hours without losing performance.

"The materials cost about a hundredth of platinum," said Dr Lindqvist. "The next step is to show that it works at the size of a real electrolyser." The work, published this week, was carried out with the Centre for Coastal Engineering and an industrial partner.`,
	},
	{
		Category: "research/research-news",
		Title:    "Study of 12,000 Adults Links Daily Walking to Better Sleep",
		Summary:  "People who walked at least 7,000 steps a day slept on average 25 minutes longer, a Northbridge study has found.",
		Source:   "School of Medicine", Author: "Priya Raman", Photographer: "Samuel Boateng", Editor: "Helen Marsh",
		Tags: []string{"research", "health"}, Published: "2021-08-19 09:00",
		Body: `Adults who walk at least 7,000 steps a day sleep longer and wake less often during the night, according to a study of 12,000 people by researchers in the School of Medicine.

Participants wore activity trackers for two weeks and answered questions about their sleep, health and work. Those in the most active group slept on average 25 minutes longer than the least active, even after age, weight and shift work were taken into account.

"We cannot yet say that walking causes better sleep," said lead author Dr Kwame Mensah, "but the link was strong and consistent across every age group." The team is now planning a trial in which half of the participants are coached to walk more.`,
	},
	{
		Category: "research/research-news",
		Title:    "Archaeologists Map a Medieval Harbour Beneath the Old Town",
		Summary:  "Ground-penetrating radar has revealed quays and a slipway buried two metres under the streets of Northbridge's Old Town.",
		Source:   "Department of History and Archaeology", Author: "Elena Marchetti", Photographer: "Tomasz Wielgosz", Editor: "David Okoye",
		Tags: []string{"research", "arts", "community"}, Published: "2019-11-27 11:30",
		Body: `Archaeologists from Northbridge University have mapped the remains of a medieval harbour beneath the Old Town, using ground-penetrating radar pulled along the streets at night.

The survey shows stone quays, a slipway and what may be the foundations of a customs house, buried about two metres below today's road surface. Written records mention a busy harbour here in the thirteenth century, but its exact position had been lost as the river silted up.

Students from the department's field school took part in the survey, and the results will be shown in an exhibition at the City Museum next spring.`,
	},
	{
		Category: "research/research-news",
		Title:    "Robotics Lab Tests Underwater Drones for Offshore Wind Farms",
		Summary:  "Small autonomous submarines could inspect turbine foundations without divers.",
		Source:   "School of Engineering", Author: "Rachel Dunmore", Editor: "David Okoye",
		Tags: []string{"research", "engineering", "innovation"}, Status: news.Review, Created: "2026-11-20 14:05",
		Body: `Engineers in the Robotics Laboratory are testing small autonomous submarines that could inspect the foundations of offshore wind turbines without sending divers into the water.

The drones use sonar and cameras to build a 3D model of each foundation and flag cracks or corrosion for a human inspector.

Trials in the wave flume of the Centre for Coastal Engineering will be followed by sea trials next summer.`,
	},
	{
		Category: "research/awards-grants",
		Title:    "Professor Amara Osei Elected Fellow of the Royal Society of Chemistry",
		Summary:  "The fellowship recognises twenty years of work on membranes for clean water.",
		Source:   "School of Chemical Engineering", Author: "Daniel Forsyth", Photographer: "Yuki Tanabe", Editor: "Helen Marsh",
		Tags: []string{"awards", "research"}, Published: "2022-02-10 10:00",
		Body: `Professor Amara Osei of the School of Chemical Engineering has been elected a Fellow of the Royal Society of Chemistry, in recognition of her research on membranes for water treatment.

Professor Osei joined Northbridge in 2009 and leads a group of 18 researchers. Membranes developed in her laboratory are used in pilot plants in three countries.

"This honour belongs to the students and postdocs who have worked with me," she said.`,
	},
	{
		Category: "research/awards-grants",
		Title:    "Research Team Wins £2.4 Million Grant to Study Coastal Flooding",
		Summary:  "The five-year project will combine wave experiments, satellite data and interviews with residents of three coastal towns.",
		Source:   "Research Office", Author: "Grace Achterberg", Photographer: "Samuel Boateng", Editor: "David Okoye",
		Tags: []string{"awards", "research", "sustainability"}, Published: "2023-07-04 09:30",
		Body: `A team of engineers, geographers and social scientists has won a £2.4 million grant from the National Research Council to study how coastal towns can prepare for more frequent flooding.

The project will run for five years and has three parts:

1. experiments in the wave flume to test natural and built defences;
2. satellite measurements of how coastlines have moved since 1990;
3. interviews and workshops with residents, businesses and councils.

The grant will fund six PhD studentships, which will be advertised in the autumn on the [Graduate School's pages](/admissions/graduate).`,
	},
	{
		Category: "research/awards-grants",
		Title:    "Early-Career Researchers Receive University Innovation Awards",
		Summary:  "Five researchers share £100,000 to turn their ideas into products and services.",
		Source:   "Research Office", Author: "Owen Pritchard", Photographer: "Tomasz Wielgosz", Editor: "Helen Marsh",
		Tags: []string{"awards", "innovation"}, Published: "2018-12-06 14:00",
		Body: `Five early-career researchers have received this year's University Innovation Awards, each worth £20,000, at a ceremony in the Great Hall.

The winning projects include a low-cost sensor that warns farmers of frost, an app that helps people with aphasia practise speaking, and a recyclable packaging material made from seaweed.

Each winner will also be paired with a mentor from industry for a year. The awards are funded by donations from alumni.`,
	},
}
